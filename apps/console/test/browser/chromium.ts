// Debian's Chromium, driven by playwright-core (no browser download: CI installs the package).
export const CHROMIUM = '/usr/bin/chromium';
