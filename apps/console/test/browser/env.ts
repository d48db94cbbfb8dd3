// The environment the platform's processes inherit in browser tests (PATH, TEST_DATABASE_URL, …).
export const inheritedEnv = (): NodeJS.ProcessEnv => ({ ...process.env });
