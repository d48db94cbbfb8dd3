// The page frame: zh-CN, a skip link, one main landmark, our stylesheet, no scripts.
import { STRINGS } from './strings.ts';
import { html, type Html } from './html.ts';

export function layout(title: string, body: Html): string {
  return html`<!doctype html>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} - ${STRINGS.siteName}</title>
        <link rel="stylesheet" href="/assets/identity.css" />
      </head>
      <body>
        <a class="skip" href="#main">${STRINGS.skipToContent}</a>
        <header><p class="site">${STRINGS.siteName}</p></header>
        <main id="main">
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`.value;
}

export function alert(message: string | undefined): Html {
  return message ? html`<p class="alert" role="alert">${message}</p>` : html``;
}

/** A failed action: what its stable error code means, the details, and the code for support staff. */
export interface PageProblem {
  code: string;
  details?: string[] | undefined;
}

export function problemAlert(problem: PageProblem | undefined): Html {
  if (!problem) return html``;
  const details = problem.details ?? [];
  return html`<div class="alert" role="alert">
    <p>${STRINGS.errors[problem.code] ?? STRINGS.unknownError}</p>
    ${
      details.length
        ? html`<ul>
            ${details.map((detail) => html`<li>${detail}</li>`)}
          </ul>`
        : html``
    }
    <p class="code">${STRINGS.errorCode(problem.code)}</p>
  </div>`;
}

export function notice(message: string | undefined): Html {
  return message ? html`<p class="notice" role="status">${message}</p>` : html``;
}

export const STYLESHEET = `
*{box-sizing:border-box}body{margin:0;font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;color:#1a1a1a;background:#f3f5f8;line-height:1.6}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
header{background:#b3261e;color:#fff;padding:.75rem 1.5rem}.site{margin:0;font-weight:600}
main{max-width:28rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.1)}
h1{font-size:1.5rem;margin-top:0}h2{font-size:1.1rem;margin-top:1.5rem}
label{display:block;margin-top:1rem;font-weight:500}
input[type=text],input[type=password],input[type=tel]{width:100%;padding:.6rem;font-size:1rem;border:1px solid #767676;border-radius:4px}
input:focus,button:focus,a:focus{outline:3px solid #1a5fb4;outline-offset:2px}
button{margin-top:1.25rem;padding:.6rem 1.2rem;font-size:1rem;border:0;border-radius:4px;background:#b3261e;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1a1a1a;border:1px solid #767676}
.alert{background:#fdecea;border-left:4px solid #b3261e;padding:.5rem .75rem}
.notice{background:#e8f1fb;border-left:4px solid #1a5fb4;padding:.5rem .75rem}
.alert p{margin:.25rem 0}.alert ul{margin:.25rem 0;padding-left:1.25rem}.alert .code{font-size:.85rem;color:#4d4d4d}
.hint{font-size:.9rem;color:#4d4d4d;margin:.25rem 0 0}.hint ul{margin:.25rem 0;padding-left:1.25rem}
.links{display:flex;gap:1.5rem;flex-wrap:wrap;margin-top:1.5rem}a{color:#1a5fb4}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;padding:0;margin:0 0 1rem}nav a[aria-current=page]{font-weight:700;color:#1a1a1a}
.card{border:1px solid #ddd;border-radius:6px;padding:.75rem 1rem;margin-top:1rem}.card h2{margin:0 0 .25rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}dt{color:#4d4d4d}dd{margin:0;overflow-wrap:anywhere}
.badge{display:inline-block;background:#e6f4ea;color:#0b5b26;border-radius:4px;padding:0 .4rem;font-size:.85rem;font-weight:400}
.qr{display:block;width:13rem;height:13rem;margin:1rem 0;background:#fff}code{font-size:1rem;overflow-wrap:anywhere}
fieldset{border:1px solid #ddd;border-radius:6px;margin-top:1.25rem;padding:.5rem 1rem 1rem}legend{font-weight:600}
`;
