// Client-side checks of license fields against the type's field schema (the JSON Schema subset of
// the contract), so a clerk sees each problem beside its field before submitting. The license
// service checks again; its issues are shown the same way.
import type { FieldDefinition, FieldSchema, FieldValue } from '@platform/contracts';
import { isCitizenIdNumber, isUnifiedSocialCreditCode } from '@platform/identifiers';
import { t } from './i18n/index.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The form's text for a field → the value the service takes; undefined when left empty. */
export function toFieldValue(definition: FieldDefinition, text: string): FieldValue | undefined {
  const trimmed = text.trim();
  if (definition.type === 'boolean') return trimmed === 'true';
  if (trimmed === '') return undefined;
  if (definition.type === 'integer' || definition.type === 'number') return Number(trimmed);
  if (definition.type === 'array')
    return trimmed
      .split('|')
      .map((part) => part.trim())
      .filter(Boolean);
  return trimmed;
}

/** The first problem with one field's text, in the user's language; undefined when fine. */
export function fieldProblem(definition: FieldDefinition, text: string, required: boolean): string | undefined {
  const messages = t.issue.fieldErrors;
  const value = text.trim();
  if (definition.type === 'boolean') return undefined;
  if (value === '') return required ? messages.required : undefined;
  if (definition.type === 'integer' || definition.type === 'number') {
    const n = Number(value);
    if (!Number.isFinite(n)) return messages.number;
    if (definition.type === 'integer' && !Number.isInteger(n)) return messages.integer;
    if (definition.minimum !== undefined && n < definition.minimum) return messages.minimum(definition.minimum);
    if (definition.maximum !== undefined && n > definition.maximum) return messages.maximum(definition.maximum);
    return undefined;
  }
  if (definition.type === 'array') {
    const items = value.split('|').map((part) => part.trim());
    if (definition.items?.enum && items.some((item) => !definition.items?.enum?.includes(item))) return messages.enum;
    return undefined;
  }
  if (definition.enum && !definition.enum.includes(value)) return messages.enum;
  if (definition.minLength !== undefined && [...value].length < definition.minLength)
    return messages.minLength(definition.minLength);
  if (definition.maxLength !== undefined && [...value].length > definition.maxLength)
    return messages.maxLength(definition.maxLength);
  if (definition.format === 'date' && (!DATE.test(value) || Number.isNaN(Date.parse(value)))) return messages.date;
  if (definition.format === 'citizen-id' && !isCitizenIdNumber(value)) return messages.citizenId;
  if (definition.format === 'credit-code' && !isUnifiedSocialCreditCode(value)) return messages.creditCode;
  if (definition.pattern) {
    try {
      if (!new RegExp(`^(?:${definition.pattern})$`, 'u').test(value)) return messages.pattern;
    } catch {
      // A pattern this browser cannot compile is left to the service.
    }
  }
  return undefined;
}

export function formProblems(schema: FieldSchema, texts: Record<string, string>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [name, definition] of Object.entries(schema.properties)) {
    const problem = fieldProblem(definition, texts[name] ?? '', schema.required.includes(name));
    if (problem) problems[name] = problem;
  }
  return problems;
}

/** Issue paths from the service (`fields.name` or `/fields/name`) → the field name. */
export function fieldOfIssuePath(path: string): string | undefined {
  const match = /fields[./]([A-Za-z0-9]+)/.exec(path);
  return match?.[1];
}
