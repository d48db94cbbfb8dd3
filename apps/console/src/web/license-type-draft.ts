// The license type editor's form state and its conversion to the contract's type definition. Kept
// apart from the React component so the mapping (field kinds ⇄ JSON Schema, row order = print
// order, constraints the form does not show are carried over on revision) is tested on its own.
import type { FieldDefinition, LicenseTypeDefinition, LicenseTypeView } from '@platform/contracts';
import { isUnifiedSocialCreditCode } from '@platform/identifiers';

export const FIELD_KINDS = [
  'text',
  'date',
  'citizen-id',
  'credit-code',
  'choice',
  'multi-choice',
  'list',
  'integer',
  'number',
  'boolean',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export interface FieldDraft {
  /** React key; stable while rows move. */
  key: string;
  name: string;
  title: string;
  kind: FieldKind;
  required: boolean;
  sensitive: boolean;
  /** Choices for choice / multi-choice, one per line. */
  choices: string;
  /** Maximum length of a text, empty = none. */
  maxLength: string;
  /** The definition this row was loaded from (revising), so constraints the form has no control for survive. */
  loaded?: { kind: FieldKind; definition: FieldDefinition };
}

export interface TypeDraft {
  code: string;
  name: string;
  authorityName: string;
  authorityCode: string;
  holderKind: LicenseTypeDefinition['holderKind'];
  /** Empty = long-term by default. */
  defaultDays: string;
  /** Empty = no limit. */
  maxDays: string;
  longTermAllowed: boolean;
  title: string;
  orientation: LicenseTypeDefinition['layout']['orientation'];
  qrPosition: LicenseTypeDefinition['layout']['qrPosition'];
  /** Not on the form: kept as the type had it (the renderer's default when absent). */
  sealPosition?: LicenseTypeDefinition['layout']['sealPosition'];
  fields: FieldDraft[];
}

/** What the form checks before anything is sent; keys are `code`, `fields.<i>.name` and so on. */
export type DraftProblem = 'required' | 'codeFormat' | 'nameFormat' | 'duplicateName' | 'positiveInteger' | 'noFields';
export type DraftProblems = Record<string, DraftProblem>;

// GB/T 36904: the defining authority's credit code (with its check character) and 3 digits.
const isTypeCode = (code: string) => /^.{18}\d{3}$/.test(code) && isUnifiedSocialCreditCode(code.slice(0, 18));
const FIELD_NAME = /^[a-z][a-zA-Z0-9]{0,49}$/;
const POSITIVE_INTEGER = /^[1-9]\d{0,5}$/;

let nextKey = 0;
const newKey = () => `field-${++nextKey}`;

export function emptyField(): FieldDraft {
  return {
    key: newKey(),
    name: '',
    title: '',
    kind: 'text',
    required: true,
    sensitive: false,
    choices: '',
    maxLength: '',
  };
}

export function emptyDraft(): TypeDraft {
  return {
    code: '',
    name: '',
    authorityName: '',
    authorityCode: '',
    holderKind: 'person',
    defaultDays: '',
    maxDays: '',
    longTermAllowed: true,
    title: '',
    orientation: 'landscape',
    qrPosition: 'bottom-right',
    fields: [emptyField()],
  };
}

export function kindOf(definition: FieldDefinition): FieldKind {
  if (definition.type === 'array') return definition.items?.enum ? 'multi-choice' : 'list';
  if (definition.type !== 'string') return definition.type;
  if (definition.enum) return 'choice';
  if (definition.format === 'date') return 'date';
  if (definition.format === 'citizen-id' || definition.format === 'credit-code') return definition.format;
  return 'text';
}

/**
 * A type's field names in print order, then any the layout does not print. (The schema's own key
 * order is no order at all: PostgreSQL's jsonb sorts keys by length.)
 */
export function fieldsInPrintOrder(type: Pick<LicenseTypeView, 'fieldSchema' | 'layout'>): string[] {
  const { properties } = type.fieldSchema;
  const printed = type.layout.fieldOrder.filter((name) => name in properties);
  return [...printed, ...Object.keys(properties).filter((name) => !printed.includes(name))];
}

/** The draft of the next version of a type: everything as it is now, fields in print order. */
export function draftOf(type: LicenseTypeView): TypeDraft {
  const { properties, required } = type.fieldSchema;
  return {
    code: type.code,
    name: type.name,
    authorityName: type.issuingAuthority.name,
    authorityCode: type.issuingAuthority.code,
    holderKind: type.holderKind,
    defaultDays: type.validity.defaultDays === null ? '' : String(type.validity.defaultDays),
    maxDays: type.validity.maxDays === null ? '' : String(type.validity.maxDays),
    longTermAllowed: type.validity.longTermAllowed,
    title: type.layout.title,
    orientation: type.layout.orientation,
    qrPosition: type.layout.qrPosition,
    ...(type.layout.sealPosition ? { sealPosition: type.layout.sealPosition } : {}),
    fields: fieldsInPrintOrder(type).map((name) => {
      const definition = properties[name]!;
      const kind = kindOf(definition);
      return {
        key: newKey(),
        name,
        title: definition.title,
        kind,
        required: required.includes(name),
        sensitive: definition['x-sensitive'] === true,
        choices: (definition.enum ?? definition.items?.enum ?? []).join('\n'),
        maxLength: definition.maxLength === undefined ? '' : String(definition.maxLength),
        loaded: { kind, definition },
      };
    }),
  };
}

export function draftProblems(draft: TypeDraft, creating: boolean): DraftProblems {
  const problems: DraftProblems = {};
  if (creating && !isTypeCode(draft.code)) problems.code = draft.code ? 'codeFormat' : 'required';
  if (!draft.name.trim()) problems.name = 'required';
  if (!draft.authorityName.trim()) problems.authorityName = 'required';
  if (!isUnifiedSocialCreditCode(draft.authorityCode))
    problems.authorityCode = draft.authorityCode ? 'codeFormat' : 'required';
  if (!draft.title.trim()) problems.title = 'required';
  for (const key of ['defaultDays', 'maxDays'] as const)
    if (draft[key] && !POSITIVE_INTEGER.test(draft[key])) problems[key] = 'positiveInteger';
  if (draft.fields.length === 0) problems.fields = 'noFields';
  const seen = new Set<string>();
  draft.fields.forEach((field, index) => {
    const at = `fields.${index}`;
    if (!FIELD_NAME.test(field.name)) problems[`${at}.name`] = field.name ? 'nameFormat' : 'required';
    else if (seen.has(field.name)) problems[`${at}.name`] = 'duplicateName';
    seen.add(field.name);
    if (!field.title.trim()) problems[`${at}.title`] = 'required';
    if ((field.kind === 'choice' || field.kind === 'multi-choice') && choicesOf(field).length === 0)
      problems[`${at}.choices`] = 'required';
    if (field.kind === 'text' && field.maxLength && !POSITIVE_INTEGER.test(field.maxLength))
      problems[`${at}.maxLength`] = 'positiveInteger';
  });
  return problems;
}

const choicesOf = (field: FieldDraft): string[] =>
  field.choices
    .split('\n')
    .map((choice) => choice.trim())
    .filter(Boolean);

/** Constraints the form has no control for, kept when the row's kind did not change. */
function carried(field: FieldDraft): Partial<FieldDefinition> {
  if (!field.loaded || field.loaded.kind !== field.kind) return {};
  const { description, pattern, minLength, minimum, maximum, maxItems, format } = field.loaded.definition;
  return Object.fromEntries(
    Object.entries({ description, pattern, minLength, minimum, maximum, maxItems, format }).filter(
      ([, value]) => value !== undefined,
    ),
  );
}

/** An array field's item constraints (their maximum length), kept when the row's kind did not change. */
function keptItems(field: FieldDraft): { maxLength?: number } {
  const items = field.loaded?.kind === field.kind ? field.loaded.definition.items : undefined;
  return items?.maxLength === undefined ? {} : { maxLength: items.maxLength };
}

export function fieldDefinition(field: FieldDraft): FieldDefinition {
  const common = {
    ...carried(field),
    title: field.title.trim(),
    ...(field.sensitive ? { 'x-sensitive': true } : {}),
  };
  switch (field.kind) {
    case 'text':
      return { ...common, type: 'string', ...(field.maxLength ? { maxLength: Number(field.maxLength) } : {}) };
    case 'date':
    case 'citizen-id':
    case 'credit-code':
      return { ...common, type: 'string', format: field.kind };
    case 'choice':
      return { ...common, type: 'string', enum: choicesOf(field) };
    case 'multi-choice':
      return { ...common, type: 'array', items: { ...keptItems(field), type: 'string', enum: choicesOf(field) } };
    case 'list':
      return { ...common, type: 'array', items: { ...keptItems(field), type: 'string' } };
    default:
      return { ...common, type: field.kind };
  }
}

export function definitionOf(draft: TypeDraft): LicenseTypeDefinition & { code: string } {
  const days = (value: string) => (value ? Number(value) : null);
  return {
    code: draft.code,
    name: draft.name.trim(),
    issuingAuthority: { name: draft.authorityName.trim(), code: draft.authorityCode },
    holderKind: draft.holderKind,
    fieldSchema: {
      type: 'object',
      properties: Object.fromEntries(draft.fields.map((field) => [field.name, fieldDefinition(field)])),
      required: draft.fields.filter((field) => field.required).map((field) => field.name),
      additionalProperties: false,
    },
    validity: {
      defaultDays: days(draft.defaultDays),
      maxDays: days(draft.maxDays),
      longTermAllowed: draft.longTermAllowed,
    },
    layout: {
      title: draft.title.trim(),
      orientation: draft.orientation,
      fieldOrder: draft.fields.map((field) => field.name),
      qrPosition: draft.qrPosition,
      ...(draft.sealPosition ? { sealPosition: draft.sealPosition } : {}),
    },
  };
}

/** The rows with the one at `index` moved by `offset` (−1 up, +1 down); unchanged at the ends. */
export function moveField(fields: FieldDraft[], index: number, offset: -1 | 1): FieldDraft[] {
  const target = index + offset;
  if (target < 0 || target >= fields.length) return fields;
  const moved = [...fields];
  [moved[index], moved[target]] = [moved[target]!, moved[index]!];
  return moved;
}
