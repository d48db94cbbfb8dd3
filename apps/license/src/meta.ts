export const SERVICE_NAME = 'license';
export const SERVICE_VERSION = '0.1.0';
