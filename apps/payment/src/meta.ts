export const SERVICE_NAME = 'payment';
export const SERVICE_VERSION = '0.1.0';
