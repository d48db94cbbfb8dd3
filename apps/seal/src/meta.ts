export const SERVICE_NAME = 'seal';
export const SERVICE_VERSION = '0.1.0';
