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
fieldset{border:1px solid #ddd;border-radius:6px;margin-top:1.25rem;padding:.5rem 1rem 1rem}legend{font-weight:600}
`;
