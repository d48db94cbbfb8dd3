// Minimal HTML building with escaping by default: every interpolated value goes through `escape`.
import { STRINGS } from './strings.ts';

export function escape(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Already-safe HTML (built by these helpers). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    const rendered = Array.isArray(value)
      ? value.map((item) => (item instanceof Html ? item.value : escape(item))).join('')
      : value instanceof Html
        ? value.value
        : escape(value);
    out += rendered + (strings[index + 1] ?? '');
  });
  return new Html(out);
}

export const hidden = (name: string, value: string | undefined): Html =>
  value === undefined ? html`` : html`<input type="hidden" name="${name}" value="${value}" />`;

/** A labelled text-like input: every form on these pages is built from these, so labels, ids and
 *  limits are written one way (the browser tests find fields by their label). */
export interface FieldSpec {
  /** The element id and, unless `name` says otherwise, the submitted field name. */
  id: string;
  name?: string;
  label: string;
  type?: 'text' | 'password' | 'tel';
  autocomplete: string;
  maxlength: number;
  minlength?: number;
  /** Defaults to true; the SMS code of the login form is optional until "log in" is pressed. */
  required?: boolean;
  numeric?: boolean;
  value?: string | undefined;
  describedBy?: string;
}

export function field(spec: FieldSpec): Html {
  const attributes: [string, string | number | undefined][] = [
    ['type', spec.type ?? 'text'],
    ['id', spec.id],
    ['name', spec.name ?? spec.id],
    ['autocomplete', spec.autocomplete],
    ['inputmode', spec.numeric ? 'numeric' : undefined],
    ['minlength', spec.minlength],
    ['maxlength', spec.maxlength],
    ['aria-describedby', spec.describedBy],
    // Passwords are never echoed back into the page.
    ['value', spec.type === 'password' ? undefined : spec.value],
  ];
  const rendered = attributes
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => html` ${name}="${value}"`);
  return html`<label for="${spec.id}">${spec.label}</label>
    <input${rendered}${spec.required === false ? html`` : html` required`} />`;
}

/** The mainland mobile number every SMS step asks for. */
export const phoneField = (value: string | undefined): Html =>
  field({ id: 'phone', label: STRINGS.phone, type: 'tel', autocomplete: 'tel', numeric: true, maxlength: 11, value });

/** A six-digit one-time code (SMS or authenticator app). */
export const oneTimeCodeField = (label: string, options: { required?: boolean } = {}): Html =>
  field({
    id: 'code',
    label,
    autocomplete: 'one-time-code',
    numeric: true,
    maxlength: 6,
    ...(options.required === false ? { required: false } : {}),
  });
