export const SERVICE_NAME = 'identity';
export const SERVICE_VERSION = '0.1.0';
