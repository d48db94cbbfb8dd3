export const SERVICE_NAME = 'console';
export const SERVICE_VERSION = '0.1.0';
