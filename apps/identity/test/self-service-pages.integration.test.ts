// The citizen's own pages over plain HTTP: registration and password reset by SMS code (rules shown
// and enforced, no account enumeration, CSRF, per-IP limit), and "my account" (sessions, TOTP
// enrolment with a QR code that decodes to the otpauth URI).
import jsQR from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, hotp, totpStep } from '../src/domain/otp/totp.ts';
import { STRINGS } from '../src/pages/strings.ts';
import { Browser, formFields, type Page } from './support/browser.ts';
import { ensurePortal, userTokens } from './support/flows.ts';
import {
  citizenId,
  codeIn,
  lastSms,
  PASSWORD,
  phoneNumber,
  registerUser,
  startIdentity,
  type TestIdentity,
  type TestUser,
} from './support/identity.ts';
import { tokenRequest } from './support/oauth.ts';

const IP_LIMIT = 40;
const csrfOf = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** Draws the page's SVG QR code (unit squares) into RGBA pixels and decodes it with jsQR. */
function decodeQr(html: string): string | undefined {
  const viewBox = /<svg[^>]*class="qr"[^>]*viewBox="0 0 (\d+) \d+"/s.exec(html);
  const path = /<path d="([^"]+)"/.exec(html)?.[1];
  if (!viewBox?.[1] || !path) return undefined;
  const extent = Number(viewBox[1]);
  const scale = 4;
  const width = extent * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const [, x, y] of path.matchAll(/M(\d+) (\d+)h1v1h-1z/g))
    for (let dy = 0; dy < scale; dy += 1)
      for (let dx = 0; dx < scale; dx += 1) {
        const offset = ((Number(y) * scale + dy) * width + Number(x) * scale + dx) * 4;
        pixels.fill(0, offset, offset + 3);
      }
  // jsqr is CommonJS: its function is the module's `default` under NodeNext typing (and at run time).
  return jsQR.default(pixels, width, width)?.data;
}

describe('self-service pages', () => {
  let identity: TestIdentity;
  const url = (path: string) => `${identity.url}${path}`;

  beforeAll(async () => {
    identity = await startIdentity({ env: { LOGIN_ATTEMPTS_PER_IP: String(IP_LIMIT) } });
    await ensurePortal(identity);
  });
  afterAll(() => identity?.close());

  /** A fresh window of the per-IP budget (all requests here come from 127.0.0.1). */
  const newRateWindow = () => identity.clock.advanceSeconds(5 * 60 + 1);

  async function sendCode(browser: Browser, path: '/register' | '/password-reset', phone: string): Promise<Page> {
    const form = await browser.open(url(path), identity.url);
    return browser.submit(form, path, { action: 'send', phone }, identity.url);
  }

  async function registerThroughPage(
    browser: Browser,
    fields: Partial<Record<'name' | 'subject_id' | 'phone' | 'code' | 'password' | 'password_confirm', string>> = {},
  ) {
    const phone = fields.phone ?? phoneNumber();
    const sent = await sendCode(browser, '/register', phone);
    const code = fields.code ?? codeIn(await lastSms(identity, phone));
    const password = fields.password ?? PASSWORD;
    const page = await browser.submit(
      sent,
      '/register',
      {
        action: 'register',
        name: '林小雨',
        subject_id: citizenId(),
        phone,
        code,
        password,
        password_confirm: password,
        ...fields,
      },
      identity.url,
    );
    identity.clock.advanceSeconds(61);
    return { page, phone, password };
  }

  describe('registration', () => {
    it('shows the password rules, registers with an SMS code, and the new account logs in to its account page', async () => {
      const browser = new Browser();
      const form = await browser.open(url('/register'), identity.url);
      expect(form.status).toBe(200);
      for (const rule of STRINGS.passwordRules) expect(form.html).toContain(rule);
      expect(form.html).toContain('minlength="8"');

      const { page, phone } = await registerThroughPage(browser);
      expect(page.status).toBe(200);
      expect(page.html).toContain(STRINGS.registeredTitle);
      const account = await identity.core.repositories.accounts.findByPhone(phone);
      expect(account).toMatchObject({ name: '林小雨', kind: 'natural_person', trustLevel: 1 });
      expect(account?.passwordHash).toMatch(/^\$argon2id\$/);

      const login = await browser.open(url('/login'), identity.url);
      const home = await browser.submit(
        login,
        '/login/password',
        { login_name: phone, password: PASSWORD },
        identity.url,
      );
      expect(home.url).toBe(url('/account'));
      expect(home.html).toContain('林小雨');
      expect(home.html).toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    });

    it('refuses passwords that break a rule, naming the rule and the stable error code', async () => {
      const cases: Array<[string, string]> = [
        ['short', STRINGS.passwordProblems.too_short],
        ['password123', STRINGS.passwordProblems.common],
      ];
      for (const [password, meaning] of cases) {
        const { page, phone } = await registerThroughPage(new Browser(), { password });
        expect(page.status).toBe(400);
        expect(page.html).toContain(STRINGS.errors.WEAK_PASSWORD);
        expect(page.html).toContain(meaning);
        expect(page.html).toContain(STRINGS.errorCode('WEAK_PASSWORD'));
        expect(await identity.core.repositories.accounts.findByPhone(phone)).toBeNull();
      }
      const subjectId = citizenId();
      const withId = await registerThroughPage(new Browser(), {
        subject_id: subjectId,
        password: `my-id-${subjectId.slice(-6)}-pass`,
      });
      expect(withId.page.status).toBe(400);
      expect(withId.page.html).toContain(STRINGS.passwordProblems.contains_identifier);
    });

    it('explains wrong fields: ID check character, mismatched passwords, wrong SMS code', async () => {
      const valid = citizenId();
      const wrongCheck = valid.slice(0, 17) + (valid.endsWith('1') ? '2' : '1');
      const badId = await registerThroughPage(new Browser(), { subject_id: wrongCheck });
      expect(badId.page.status).toBe(400);
      expect(badId.page.html).toContain(STRINGS.fieldProblems.subjectId);
      expect(badId.page.html).toContain(STRINGS.errorCode('VALIDATION_FAILED'));

      const mismatch = await registerThroughPage(new Browser(), { password_confirm: 'something-else-entirely' });
      expect(mismatch.page.html).toContain(STRINGS.fieldProblems.passwordConfirm);

      const wrongCode = await registerThroughPage(new Browser(), { code: '000000' });
      expect(wrongCode.page.status).toBe(400);
      expect(wrongCode.page.html).toContain(STRINGS.errors.INVALID_SMS_CODE);
      expect(wrongCode.page.html).toContain(STRINGS.errorCode('INVALID_SMS_CODE'));
      // The values typed stay in the form, the passwords do not.
      expect(wrongCode.page.html).toContain(`value="${wrongCode.phone}"`);
      expect(wrongCode.page.html).not.toContain(PASSWORD);
    });

    it('refuses a registration form posted without this browser’s CSRF token, sending nothing', async () => {
      const browser = new Browser();
      const form = await browser.open(url('/register'), identity.url);
      const phone = phoneNumber();
      const forged = await browser.request(url('/register'), {
        form: { action: 'send', phone, csrf: 'forged-token' },
      });
      expect(forged.status).toBe(403);
      const otherOrigin = await browser.request(url('/register'), {
        form: { action: 'send', phone, csrf: csrfOf(form.html) },
        headers: { origin: 'https://evil.example' },
      });
      expect(otherOrigin.status).toBe(403);
      await expect(lastSms(identity, phone)).rejects.toThrow(/no SMS/);
    });
  });

  describe('no account enumeration', () => {
    /** The page with the phone numbers blanked out. */
    const normalized = (page: Page, ...phones: string[]) =>
      phones.reduce((html, phone) => html.replaceAll(phone, 'PHONE'), page.html);

    it.each(['/register', '/password-reset'] as const)(
      '%s answers "send code" the same for a registered and an unknown phone',
      async (path) => {
        const user = await registerUser(identity);
        const unknown = phoneNumber();
        const browser = new Browser();
        const known = await sendCode(browser, path, user.phone);
        const stranger = await sendCode(browser, path, unknown);
        expect(known.status).toBe(200);
        expect(stranger.status).toBe(200);
        expect(normalized(known, user.phone)).toBe(normalized(stranger, unknown));
        expect(known.html).toContain(STRINGS.codeSent);
        identity.clock.advanceSeconds(61);
      },
    );

    it('answers a reset with a wrong code the same for a registered and an unknown phone', async () => {
      const user = await registerUser(identity);
      const unknown = phoneNumber();
      const browser = new Browser();
      const attempt = async (phone: string) => {
        const sent = await sendCode(browser, '/password-reset', phone);
        const code = phone === user.phone ? codeIn(await lastSms(identity, phone)) : '123456';
        const wrong = code === '000000' ? '111111' : '000000';
        return browser.submit(
          sent,
          '/password-reset',
          {
            action: 'reset',
            phone,
            code: wrong,
            password: 'A-brand-new-passphrase',
            password_confirm: 'A-brand-new-passphrase',
          },
          identity.url,
        );
      };
      const known = await attempt(user.phone);
      const stranger = await attempt(unknown);
      expect(known.status).toBe(400);
      expect(stranger.status).toBe(400);
      expect(known.html.replaceAll(user.phone, 'PHONE')).toBe(stranger.html.replaceAll(unknown, 'PHONE'));
      expect(known.html).toContain(STRINGS.errorCode('INVALID_SMS_CODE'));
      identity.clock.advanceSeconds(61);
    });

    it('does not tell a stranger that a password contains the ID number behind a phone before the code is proven', async () => {
      const user = await registerUser(identity);
      const browser = new Browser();
      const sent = await sendCode(browser, '/password-reset', user.phone);
      const code = codeIn(await lastSms(identity, user.phone));
      const withId = `guess-${user.subjectId.slice(-6)}-pass`;
      const guessed = await browser.submit(
        sent,
        '/password-reset',
        {
          action: 'reset',
          phone: user.phone,
          code: code === '000000' ? '111111' : '000000',
          password: withId,
          password_confirm: withId,
        },
        identity.url,
      );
      expect(guessed.html).toContain(STRINGS.errorCode('INVALID_SMS_CODE'));
      expect(guessed.html).not.toContain(STRINGS.passwordProblems.contains_identifier);
      // The phone's owner, with the right code, is told.
      const owner = await browser.submit(
        sent,
        '/password-reset',
        { action: 'reset', phone: user.phone, code, password: withId, password_confirm: withId },
        identity.url,
      );
      expect(owner.status).toBe(400);
      expect(owner.html).toContain(STRINGS.passwordProblems.contains_identifier);
      identity.clock.advanceSeconds(61);
    });
  });

  describe('password reset', () => {
    it('sets a new password with the SMS code and ends every session and refresh token of the account', async () => {
      const user = await registerUser(identity);
      const tokens = await userTokens(identity, user, { scope: 'openid offline_access' });
      const browser = new Browser();
      const sent = await sendCode(browser, '/password-reset', user.phone);
      const code = codeIn(await lastSms(identity, user.phone));
      const newPassword = 'A-fresh-passphrase-2026';
      const done = await browser.submit(
        sent,
        '/password-reset',
        { action: 'reset', phone: user.phone, code, password: newPassword, password_confirm: newPassword },
        identity.url,
      );
      expect(done.status).toBe(200);
      expect(done.html).toContain(STRINGS.resetDone);
      expect(await identity.core.sessions.listOpen(user.id)).toEqual([]);
      const refresh = await tokenRequest(
        identity.url,
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
        await ensurePortal(identity),
      );
      expect(refresh.body.error).toBe('invalid_grant');
      expect((await identity.core.authenticator.withPassword(user.phone, user.password, '203.0.113.9')).ok).toBe(false);
      expect((await identity.core.authenticator.withPassword(user.phone, newPassword, '203.0.113.9')).ok).toBe(true);
      identity.clock.advanceSeconds(61);
    });
  });

  describe('rate limits', () => {
    it('counts registration and reset posts per IP, like login attempts', async () => {
      newRateWindow();
      const browser = new Browser();
      const csrf = csrfOf((await browser.open(url('/register'), identity.url)).html);
      for (let i = 0; i < IP_LIMIT; i += 1) {
        const path = i % 2 ? '/password-reset' : '/register';
        const page = await browser.request(url(path), { form: { csrf, action: 'send', phone: 'not-a-phone' } });
        expect(page.status).toBe(400);
      }
      const limited = await browser.request(url('/password-reset'), {
        form: { csrf, action: 'send', phone: phoneNumber() },
      });
      expect(limited.status).toBe(429);
      expect(limited.html).toContain(STRINGS.errors.RATE_LIMITED);
      expect(limited.html).toContain(STRINGS.errorCode('RATE_LIMITED'));
      newRateWindow();
    });
  });
});

describe('my account pages', () => {
  let identity: TestIdentity;
  let user: TestUser;
  const url = (path: string) => `${identity.url}${path}`;

  beforeAll(async () => {
    identity = await startIdentity();
    await ensurePortal(identity);
    user = await registerUser(identity, { name: '郑明' });
  });
  afterAll(() => identity?.close());

  async function signIn(who: Pick<TestUser, 'phone' | 'password'> = user): Promise<{ browser: Browser; home: Page }> {
    const browser = new Browser();
    const login = await browser.open(url('/account'), identity.url);
    expect(login.url).toBe(url('/login'));
    const home = await browser.submit(
      login,
      '/login/password',
      { login_name: who.phone, password: who.password },
      identity.url,
    );
    return { browser, home };
  }

  it('sends a browser without a session to the login page, which returns to the account page', async () => {
    const { home } = await signIn();
    expect(home.url).toBe(url('/account'));
    expect(home.html).toContain('郑明');
    expect(home.html).toContain(STRINGS.levels[1]);
    expect(home.html).toContain('aria-current="page"');
  });

  it('lists my sessions with the current one marked, and ends another one, which logs out its apps', async () => {
    const owner = await registerUser(identity);
    const first = await signIn(owner);
    const portalTokens = await userTokens(identity, owner, { scope: 'openid profile' });
    const list = await first.browser.request(url('/account/sessions'));
    expect(list.status).toBe(200);
    expect(list.html.match(/<section class="card"/g)).toHaveLength(2);
    expect(list.html).toContain(STRINGS.thisBrowser);
    expect(list.html).toContain('应用 portal');

    const otherSid = JSON.parse(Buffer.from(portalTokens.id_token.split('.')[1] ?? '', 'base64url').toString())
      .sid as string;
    const ended = await first.browser.request(url('/account/sessions/end'), {
      form: { csrf: csrfOf(list.html), sid: otherSid },
    });
    expect(ended.status).toBe(200);
    expect(ended.html).toContain(STRINGS.sessionEnded);
    expect((await identity.core.sessions.findBySid(otherSid))?.endReason).toBe('user');
    const refresh = await tokenRequest(
      identity.url,
      { grant_type: 'refresh_token', refresh_token: portalTokens.refresh_token },
      await ensurePortal(identity),
    );
    expect(refresh.body.error).toBe('invalid_grant');
    expect((await portalTokens.browser.request(url('/account'))).location).toBe(url('/login'));
  });

  it('cannot end another account’s session, and ending the current one logs this browser out', async () => {
    const stranger = await registerUser(identity);
    const theirs = await signIn(stranger);
    const theirSid = (await identity.core.sessions.listOpen(stranger.id))[0]?.sid ?? '';
    const mine = await signIn();
    const list = await mine.browser.request(url('/account/sessions'));
    const attempt = await mine.browser.request(url('/account/sessions/end'), {
      form: { csrf: csrfOf(list.html), sid: theirSid },
    });
    expect(attempt.status).toBe(404);
    expect(attempt.html).toContain(STRINGS.errorCode('NOT_FOUND'));
    expect((await theirs.browser.request(url('/account'))).status).toBe(200);

    const forged = await mine.browser.request(url('/account/sessions/end'), { form: { csrf: 'x', sid: theirSid } });
    expect(forged.status).toBe(403);

    const cookie = decodeURIComponent(mine.browser.cookiesOf(identity.url).get('idp_session') ?? '');
    const sid = (await identity.core.sessions.resolve(cookie))?.sid ?? '';
    const out = await mine.browser.request(url('/account/sessions/end'), { form: { csrf: csrfOf(list.html), sid } });
    expect(out.html).toContain(STRINGS.loggedOut);
    expect((await mine.browser.request(url('/account'))).location).toBe(url('/login'));
  });

  it('enrols an authenticator app after the current password, with a QR code that decodes to the otpauth URI', async () => {
    const owner = await registerUser(identity);
    const { browser } = await signIn(owner);
    const start = await browser.request(url('/account/totp'));
    expect(start.html).toContain(STRINGS.reauthIntro);

    const wrong = await browser.submit(
      start,
      '/account/totp/enroll',
      { current_password: 'not-my-password' },
      identity.url,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain(STRINGS.errors.INVALID_CREDENTIALS);

    const enrolling = await browser.submit(
      start,
      '/account/totp/enroll',
      { current_password: owner.password },
      identity.url,
    );
    expect(enrolling.status).toBe(200);
    const secret = /<code id="totp_secret">([A-Z2-7]+)<\/code>/.exec(enrolling.html)?.[1] ?? '';
    expect(secret).toHaveLength(32);
    const uri = decodeQr(enrolling.html);
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(new URL(uri ?? '').searchParams.get('secret')).toBe(secret);

    // A mistyped code keeps the same QR code on screen.
    const code = hotp(base32Decode(secret), totpStep(identity.clock.now()));
    const typo = await browser.submit(
      enrolling,
      '/account/totp/confirm',
      { code: code === '000000' ? '111111' : '000000' },
      identity.url,
    );
    expect(typo.status).toBe(400);
    expect(typo.html).toContain(STRINGS.errors.TOTP_INVALID_CODE);
    expect(/<code id="totp_secret">([^<]+)</.exec(typo.html)?.[1]).toBe(secret);

    const confirmed = await browser.submit(typo, '/account/totp/confirm', { code }, identity.url);
    expect(confirmed.status).toBe(200);
    expect(confirmed.html).toContain(STRINGS.totpEnabledNotice);
    expect((await identity.core.repositories.accounts.findById(owner.id))?.totpConfirmedAt).not.toBeNull();

    // The next login asks for the authenticator's code.
    const again = new Browser();
    const login = await again.open(url('/login'), identity.url);
    const second = await again.submit(
      login,
      '/login/password',
      { login_name: owner.phone, password: owner.password },
      identity.url,
    );
    expect(second.html).toContain('action="/login/totp"');
  });

  it('turns the authenticator app off only with the current password and a fresh code', async () => {
    const owner = await registerUser(identity);
    const { browser } = await signIn(owner);
    const start = await browser.request(url('/account/totp'));
    const enrolling = await browser.submit(
      start,
      '/account/totp/enroll',
      { current_password: owner.password },
      identity.url,
    );
    const secret = base32Decode(/<code id="totp_secret">([^<]+)</.exec(enrolling.html)?.[1] ?? '');
    const enabled = await browser.submit(
      enrolling,
      '/account/totp/confirm',
      { code: hotp(secret, totpStep(identity.clock.now())) },
      identity.url,
    );
    expect(enabled.html).toContain('action="/account/totp/disable"');
    // The code that confirmed the enrolment cannot be replayed.
    const replayed = await browser.submit(
      enabled,
      '/account/totp/disable',
      { current_password: owner.password, code: hotp(secret, totpStep(identity.clock.now())) },
      identity.url,
    );
    expect(replayed.status).toBe(400);
    expect(replayed.html).toContain(STRINGS.errorCode('TOTP_INVALID_CODE'));
    identity.clock.advanceSeconds(30);
    const wrongPassword = await browser.submit(
      enabled,
      '/account/totp/disable',
      { current_password: 'not-my-password', code: hotp(secret, totpStep(identity.clock.now())) },
      identity.url,
    );
    expect(wrongPassword.status).toBe(401);
    const off = await browser.submit(
      enabled,
      '/account/totp/disable',
      { current_password: owner.password, code: hotp(secret, totpStep(identity.clock.now())) },
      identity.url,
    );
    expect(off.status).toBe(200);
    expect(off.html).toContain(STRINGS.totpDisabledNotice);
    expect((await identity.core.repositories.accounts.findById(owner.id))?.totpSecretEnc).toBeNull();
  });

  it('shows the QR code again only from an enrolment sealed for the same account and browser', async () => {
    const enrol = async () => {
      const owner = await registerUser(identity);
      const { browser } = await signIn(owner);
      const start = await browser.request(url('/account/totp'));
      const page = await browser.submit(
        start,
        '/account/totp/enroll',
        { current_password: owner.password },
        identity.url,
      );
      return { browser, page, secret: /<code id="totp_secret">([^<]+)</.exec(page.html)?.[1] ?? '' };
    };
    const victim = await enrol();
    const other = await enrol();
    const replay = await other.browser.request(url('/account/totp/confirm'), {
      form: {
        csrf: csrfOf(other.page.html),
        enrolment: formFields(victim.page.html, '/account/totp/confirm').enrolment ?? '',
        code: '000000',
      },
    });
    expect(replay.status).toBe(400);
    expect(replay.html).not.toContain(victim.secret);
    expect(replay.html).not.toContain('totp_secret');
  });

  it('limits wrong current passwords per account: the sixth try is refused even with the right password', async () => {
    const owner = await registerUser(identity);
    const { browser } = await signIn(owner);
    const start = await browser.request(url('/account/totp'));
    for (let i = 0; i < 5; i += 1)
      expect(
        (await browser.submit(start, '/account/totp/enroll', { current_password: `wrong-${i}-password` }, identity.url))
          .status,
      ).toBe(401);
    const refused = await browser.submit(
      start,
      '/account/totp/enroll',
      { current_password: owner.password },
      identity.url,
    );
    expect(refused.status).toBe(429);
    expect(refused.html).toContain(STRINGS.errorCode('RATE_LIMITED'));
    identity.clock.advanceSeconds(15 * 60 + 1);
    expect(
      (await browser.submit(start, '/account/totp/enroll', { current_password: owner.password }, identity.url)).status,
    ).toBe(200);
  });

  it('links the login page to registration and password reset, keeping the login request', async () => {
    const login = await new Browser().open(url('/login'), identity.url);
    expect(login.html).toContain('href="/register"');
    expect(login.html).toContain('href="/password-reset"');
  });
});
