// The JSON Schema subset license types use for their fields (see FieldDefinition in the contract):
// checking a type definition when it is created, and checking a license's fields against it.
// Hand-written rather than a general JSON Schema engine: the subset is small, every rule has a
// clear message, and GB identifiers (citizen-id, credit-code) are formats of their own.
import type { ErrorIssue } from '@platform/contracts';
import { citizenIdProblem, creditCodeProblem } from '@platform/identifiers';
import type { FieldDefinition, FieldSchema, FieldValue, Layout, ValidityRules } from '@platform/contracts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

function isRealDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** Problems of a type definition beyond what the contract's zod schema checks (cross-field rules). */
export function definitionIssues(definition: {
  fieldSchema: FieldSchema;
  validity: ValidityRules;
  layout: Layout;
}): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const { properties, required } = definition.fieldSchema;
  const names = Object.keys(properties);
  if (names.length === 0) issues.push({ path: 'fieldSchema.properties', message: 'a type needs at least one field' });
  for (const name of required)
    if (!Object.hasOwn(properties, name))
      issues.push({ path: 'fieldSchema.required', message: `"${name}" is required but not defined` });
  if (new Set(required).size !== required.length)
    issues.push({ path: 'fieldSchema.required', message: 'lists a field twice' });
  for (const [name, field] of Object.entries(properties)) {
    const at = `fieldSchema.properties.${name}`;
    const stringOnly = ['format', 'pattern', 'minLength', 'maxLength', 'enum'] as const;
    for (const key of stringOnly)
      if (field[key] !== undefined && field.type !== 'string')
        issues.push({ path: `${at}.${key}`, message: `only applies to string fields` });
    for (const key of ['minimum', 'maximum'] as const)
      if (field[key] !== undefined && field.type !== 'integer' && field.type !== 'number')
        issues.push({ path: `${at}.${key}`, message: 'only applies to numeric fields' });
    if (field.type === 'array' && !field.items)
      issues.push({ path: `${at}.items`, message: 'an array field needs items' });
    if (field.type !== 'array' && (field.items || field.maxItems !== undefined))
      issues.push({ path: `${at}.items`, message: 'only applies to array fields' });
    if (field.pattern !== undefined && !compiles(field.pattern))
      issues.push({ path: `${at}.pattern`, message: 'is not a valid regular expression' });
    if (field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength)
      issues.push({ path: `${at}.minLength`, message: 'is greater than maxLength' });
    if (field.minimum !== undefined && field.maximum !== undefined && field.minimum > field.maximum)
      issues.push({ path: `${at}.minimum`, message: 'is greater than maximum' });
  }
  const { qrPosition, sealPosition } = definition.layout;
  if (sealPosition !== undefined && sealPosition === qrPosition)
    issues.push({ path: 'layout.sealPosition', message: 'the seal and the QR code cannot take the same corner' });
  for (const name of definition.layout.fieldOrder)
    if (!Object.hasOwn(properties, name))
      issues.push({ path: 'layout.fieldOrder', message: `"${name}" is not a field of the type` });
  const { defaultDays, maxDays, longTermAllowed } = definition.validity;
  if (defaultDays === null && !longTermAllowed)
    issues.push({ path: 'validity.defaultDays', message: 'null (long-term) needs longTermAllowed' });
  if (defaultDays !== null && maxDays !== null && defaultDays > maxDays)
    issues.push({ path: 'validity.defaultDays', message: 'is longer than maxDays' });
  return issues;
}

function stringIssues(value: string, field: FieldDefinition, path: string): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const length = [...value].length;
  if (field.minLength !== undefined && length < field.minLength)
    issues.push({ path, message: `must have at least ${field.minLength} characters` });
  if (field.maxLength !== undefined && length > field.maxLength)
    issues.push({ path, message: `must have at most ${field.maxLength} characters` });
  if (field.pattern !== undefined && !new RegExp(`^(?:${field.pattern})$`, 'u').test(value))
    issues.push({ path, message: 'does not have the required format' });
  if (field.enum && !field.enum.includes(value))
    issues.push({ path, message: `must be one of: ${field.enum.join(', ')}` });
  switch (field.format) {
    case 'date':
      if (!isRealDate(value)) issues.push({ path, message: 'must be a real date YYYY-MM-DD' });
      break;
    case 'date-time':
      if (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))
        issues.push({ path, message: 'must be an ISO 8601 date-time' });
      break;
    case 'citizen-id': {
      const problem = citizenIdProblem(value);
      if (problem) issues.push({ path, message: `is not a valid citizen ID number (${problem.replace('_', ' ')})` });
      break;
    }
    case 'credit-code': {
      const problem = creditCodeProblem(value);
      if (problem)
        issues.push({ path, message: `is not a valid unified social credit code (${problem.replace('_', ' ')})` });
      break;
    }
    default:
      break;
  }
  return issues;
}

function valueIssues(value: FieldValue, field: FieldDefinition, path: string): ErrorIssue[] {
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? stringIssues(value, field, path) : [{ path, message: 'must be a string' }];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [{ path, message: 'must be true or false' }];
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return [{ path, message: 'must be a number' }];
      if (field.type === 'integer' && !Number.isInteger(value)) return [{ path, message: 'must be an integer' }];
      if (field.minimum !== undefined && value < field.minimum)
        return [{ path, message: `must be ≥ ${field.minimum}` }];
      if (field.maximum !== undefined && value > field.maximum)
        return [{ path, message: `must be ≤ ${field.maximum}` }];
      return [];
    }
    case 'array': {
      if (!Array.isArray(value)) return [{ path, message: 'must be a list' }];
      const issues: ErrorIssue[] = [];
      if (field.maxItems !== undefined && value.length > field.maxItems)
        issues.push({ path, message: `must have at most ${field.maxItems} entries` });
      if (new Set(value).size !== value.length) issues.push({ path, message: 'must not repeat an entry' });
      value.forEach((item, index) => {
        const itemPath = `${path}.${index}`;
        if (field.items?.enum && !field.items.enum.includes(item))
          issues.push({ path: itemPath, message: `must be one of: ${field.items.enum.join(', ')}` });
        if (field.items?.maxLength !== undefined && [...item].length > field.items.maxLength)
          issues.push({ path: itemPath, message: `must have at most ${field.items.maxLength} characters` });
      });
      return issues;
    }
  }
}

/** Every way `values` fails `schema`, with the field path; empty when the fields are valid. */
export function fieldIssues(schema: FieldSchema, values: Record<string, FieldValue>): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  for (const name of Object.keys(values))
    if (!Object.hasOwn(schema.properties, name))
      issues.push({ path: `fields.${name}`, message: 'is not a field of this license type' });
  for (const name of schema.required)
    if (values[name] === undefined || values[name] === '')
      issues.push({ path: `fields.${name}`, message: 'is required' });
  for (const [name, field] of Object.entries(schema.properties)) {
    const value = values[name];
    if (value === undefined || (value === '' && schema.required.includes(name))) continue;
    issues.push(...valueIssues(value, field, `fields.${name}`));
  }
  return issues;
}

export const sensitiveFields = (schema: FieldSchema): string[] =>
  Object.entries(schema.properties)
    .filter(([, field]) => field['x-sensitive'] === true)
    .map(([name]) => name);
