export const SERVICE_NAME = 'seal';
export const SERVICE_VERSION = '0.1.0';
/** This service's resource identifier: access tokens for it carry it in `aud`. */
export const RESOURCE = 'urn:platform:seal';
