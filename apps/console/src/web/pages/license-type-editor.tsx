// License type administration: create a type, or revise one into its next version. The form edits a
// draft (license-type-draft.ts) and shows its problems beside the fields before anything is sent;
// the service checks the definition again and its answer is shown with its meaning.
import { useMemo, useState } from 'react';
import type { LicenseTypeView } from '@platform/contracts';
import { license } from '../api/clients.ts';
import { ErrorNotice } from '../components/feedback.tsx';
import { Checkbox, SelectField, TextField } from '../components/form.tsx';
import { t } from '../i18n/index.ts';
import {
  definitionOf,
  draftOf,
  draftProblems,
  emptyDraft,
  emptyField,
  FIELD_KINDS,
  moveField,
  type DraftProblems,
  type FieldDraft,
  type TypeDraft,
} from '../license-type-draft.ts';
import { useAction } from '../use-load.ts';

const e = t.types.editor;
const optionsOf = (labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));

export function LicenseTypeEditor({
  revising,
  onSaved,
  onCancel,
}: {
  /** The type to revise; absent to create one. */
  revising?: LicenseTypeView;
  onSaved: (saved: LicenseTypeView) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<TypeDraft>(() => (revising ? draftOf(revising) : emptyDraft()));
  // Problems show from the first attempt to save on, and follow the draft as it is corrected.
  const [attempted, setAttempted] = useState(false);
  const shown: DraftProblems = useMemo(
    () => (attempted ? draftProblems(draft, !revising) : {}),
    [attempted, draft, revising],
  );
  const save = useAction(() =>
    revising ? license.types.revise.mutate(definitionOf(draft)) : license.types.create.mutate(definitionOf(draft)),
  );
  const set = (change: Partial<TypeDraft>) => setDraft((current) => ({ ...current, ...change }));
  const setField = (index: number, change: Partial<FieldDraft>) =>
    set({ fields: draft.fields.map((field, at) => (at === index ? { ...field, ...change } : field)) });
  const problem = (key: string) => (shown[key] ? e.problems[shown[key]] : undefined);

  return (
    <form
      className="card"
      aria-labelledby="type-editor-title"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        setAttempted(true);
        if (Object.keys(draftProblems(draft, !revising)).length > 0) return;
        const saved = await save.execute();
        if (saved) onSaved(saved);
      }}
    >
      <h2 id="type-editor-title">{revising ? e.reviseTitle(revising.name, revising.version + 1) : e.createTitle}</h2>
      {revising && <p className="hint">{e.reviseHint}</p>}

      <fieldset>
        <legend>{e.basics}</legend>
        {!revising && (
          <TextField
            label={t.types.code}
            value={draft.code}
            required
            hint={e.codeHint}
            error={problem('code')}
            className="mono"
            onChange={(event) => set({ code: event.target.value.trim().toUpperCase() })}
          />
        )}
        <TextField
          label={t.types.name}
          value={draft.name}
          required
          error={problem('name')}
          onChange={(event) => set({ name: event.target.value })}
        />
        <TextField
          label={e.authorityName}
          value={draft.authorityName}
          required
          error={problem('authorityName')}
          onChange={(event) => set({ authorityName: event.target.value })}
        />
        <TextField
          label={e.authorityCode}
          value={draft.authorityCode}
          required
          error={problem('authorityCode')}
          className="mono"
          onChange={(event) => set({ authorityCode: event.target.value.trim().toUpperCase() })}
        />
        <SelectField
          label={t.types.holderKind}
          value={draft.holderKind}
          options={optionsOf(t.types.holderKinds)}
          onChange={(event) => set({ holderKind: event.target.value as TypeDraft['holderKind'] })}
        />
        <TextField
          label={e.defaultDays}
          value={draft.defaultDays}
          inputMode="numeric"
          hint={e.defaultDaysHint}
          error={problem('defaultDays')}
          onChange={(event) => set({ defaultDays: event.target.value.trim() })}
        />
        <TextField
          label={e.maxDays}
          value={draft.maxDays}
          inputMode="numeric"
          hint={e.maxDaysHint}
          error={problem('maxDays')}
          onChange={(event) => set({ maxDays: event.target.value.trim() })}
        />
        <Checkbox
          label={e.longTermAllowed}
          checked={draft.longTermAllowed}
          onChange={(event) => set({ longTermAllowed: event.target.checked })}
        />
      </fieldset>

      <fieldset>
        <legend>{e.layout}</legend>
        <TextField
          label={e.layoutTitle}
          value={draft.title}
          required
          error={problem('title')}
          onChange={(event) => set({ title: event.target.value })}
        />
        <SelectField
          label={e.orientation}
          value={draft.orientation}
          options={optionsOf(e.orientations)}
          onChange={(event) => set({ orientation: event.target.value as TypeDraft['orientation'] })}
        />
        <SelectField
          label={e.qrPosition}
          value={draft.qrPosition}
          options={optionsOf(e.qrPositions)}
          onChange={(event) => set({ qrPosition: event.target.value as TypeDraft['qrPosition'] })}
        />
      </fieldset>

      <fieldset>
        <legend>{e.fields}</legend>
        {problem('fields') && <p className="field-error">{problem('fields')}</p>}
        {draft.fields.map((field, index) => (
          <FieldRow
            key={field.key}
            field={field}
            index={index}
            last={index === draft.fields.length - 1}
            problem={(key) => problem(`fields.${index}.${key}`)}
            onChange={(change) => setField(index, change)}
            onMove={(offset) => set({ fields: moveField(draft.fields, index, offset) })}
            onRemove={() => set({ fields: draft.fields.filter((_, at) => at !== index) })}
          />
        ))}
        <button type="button" className="secondary" onClick={() => set({ fields: [...draft.fields, emptyField()] })}>
          {e.addField}
        </button>
      </fieldset>

      <div className="button-row">
        <button type="submit" disabled={save.state.status === 'busy'}>
          {e.save}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t.app.cancel}
        </button>
      </div>
      {save.state.status === 'error' && <ErrorNotice error={save.state.error} />}
    </form>
  );
}

function FieldRow({
  field,
  index,
  last,
  problem,
  onChange,
  onMove,
  onRemove,
}: {
  field: FieldDraft;
  index: number;
  last: boolean;
  problem: (key: string) => string | undefined;
  onChange: (change: Partial<FieldDraft>) => void;
  onMove: (offset: -1 | 1) => void;
  onRemove: () => void;
}) {
  const label = field.title || e.fieldLegend(index + 1);
  const withChoices = field.kind === 'choice' || field.kind === 'multi-choice';
  return (
    <fieldset className="field-row" data-testid="type-field">
      <legend>{e.fieldLegend(index + 1)}</legend>
      <TextField
        label={e.fieldName}
        value={field.name}
        required
        className="mono"
        error={problem('name')}
        onChange={(event) => onChange({ name: event.target.value.trim() })}
      />
      <TextField
        label={e.fieldTitle}
        value={field.title}
        required
        error={problem('title')}
        onChange={(event) => onChange({ title: event.target.value })}
      />
      <SelectField
        label={e.fieldKind}
        value={field.kind}
        options={FIELD_KINDS.map((kind) => ({ value: kind, label: e.kinds[kind] ?? kind }))}
        onChange={(event) => onChange({ kind: event.target.value as FieldDraft['kind'] })}
      />
      {withChoices && (
        <div className={`field${problem('choices') ? ' field-invalid' : ''}`}>
          <label htmlFor={`${field.key}-choices`}>{e.choices}</label>
          <textarea
            id={`${field.key}-choices`}
            rows={3}
            value={field.choices}
            aria-invalid={problem('choices') ? true : undefined}
            aria-describedby={problem('choices') ? `${field.key}-choices-error` : undefined}
            onChange={(event) => onChange({ choices: event.target.value })}
          />
          {problem('choices') && (
            <p className="field-error" id={`${field.key}-choices-error`}>
              {problem('choices')}
            </p>
          )}
        </div>
      )}
      {field.kind === 'text' && (
        <TextField
          label={e.maxLength}
          value={field.maxLength}
          inputMode="numeric"
          error={problem('maxLength')}
          onChange={(event) => onChange({ maxLength: event.target.value.trim() })}
        />
      )}
      <Checkbox
        label={e.required}
        checked={field.required}
        onChange={(event) => onChange({ required: event.target.checked })}
      />
      <Checkbox
        label={e.sensitive}
        checked={field.sensitive}
        onChange={(event) => onChange({ sensitive: event.target.checked })}
      />
      {field.loaded?.kind === field.kind && field.loaded.definition.pattern && (
        <p className="hint">{e.keptConstraints}</p>
      )}
      <div className="button-row">
        <button type="button" className="secondary" disabled={index === 0} onClick={() => onMove(-1)}>
          <span aria-hidden="true">↑</span>
          <span className="visually-hidden">{e.moveUp(label)}</span>
        </button>
        <button type="button" className="secondary" disabled={last} onClick={() => onMove(1)}>
          <span aria-hidden="true">↓</span>
          <span className="visually-hidden">{e.moveDown(label)}</span>
        </button>
        <button type="button" className="danger" onClick={onRemove}>
          {e.removeField(label)}
        </button>
      </div>
    </fieldset>
  );
}
