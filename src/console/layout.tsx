import type { Child } from 'hono/jsx';
import { SCOPES } from '../domain/model';
import type { FieldIssue } from '../errors';

/** The one script: copy buttons (a constant, never built from data). */
const COPY_SCRIPT = `
document.querySelectorAll('[data-copy]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () {
    var target = document.getElementById(button.getAttribute('data-copy'));
    navigator.clipboard.writeText(target.textContent.trim()).then(function () {
      button.textContent = 'Copied';
    });
  });
});`;

export type Section = 'clients' | 'operators' | 'casetypes' | 'datatypes' | 'cases' | 'audit';

const SECTIONS: [Section, string][] = [
  ['clients', 'Client registrations'],
  ['operators', 'Operators'],
  ['casetypes', 'Case types'],
  ['datatypes', 'Data types'],
  ['cases', 'Cases'],
  ['audit', 'Audit log'],
];

/**
 * Every console page. Hono's JSX escapes every text and attribute value, so names, descriptions
 * and case content written by others render as text, never as markup. The only script is the
 * copy button's, under the CSP nonce.
 */
export function Page(props: {
  title: string;
  section?: Section | undefined;
  nonce?: string | undefined;
  signedIn?: boolean;
  children: Child;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · edgecase`}</title>
        <link rel="stylesheet" href="/admin/assets/console.css" />
      </head>
      <body>
        <header>
          <a class="brand" href="/admin/clients">
            edgecase
          </a>
          {props.signedIn !== false &&
            SECTIONS.map(([section, label]) => (
              <a
                href={`/admin/${section}`}
                aria-current={props.section === section ? 'page' : undefined}
              >
                {label}
              </a>
            ))}
          {props.signedIn !== false && (
            <form method="post" action="/admin/sign-out">
              <button type="submit">Sign out</button>
            </form>
          )}
        </header>
        <main>{props.children}</main>
        {props.nonce && (
          <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: COPY_SCRIPT }} />
        )}
      </body>
    </html>
  );
}

/** The fields at fault, as the API reports them, above the form that sent them. */
export function Errors(props: { message?: string | undefined; fields?: FieldIssue[] | undefined }) {
  if (!props.message && !props.fields?.length) return null;
  return (
    <div class="errors" role="alert">
      <strong>{props.message}</strong>
      {props.fields && props.fields.length > 0 && (
        <ul>
          {props.fields.map((field) => (
            <li>
              <code>{field.path}</code>: {field.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A button that copies an element's text, shown only where the script runs. */
export const CopyButton = (props: { target: string }) => (
  <button type="button" class="secondary" data-copy={props.target} hidden>
    Copy
  </button>
);

export const Badge = (props: { on: boolean; yes: string; no: string }) => (
  <span class={props.on ? 'badge on' : 'badge off'}>{props.on ? props.yes : props.no}</span>
);

/** A POST form to a console action; the CSRF check accepts only this origin. */
export const Action = (props: {
  action: string;
  label: string;
  danger?: boolean;
  children?: Child;
}) => (
  <form method="post" action={props.action}>
    {props.children}
    <button type="submit" class={props.danger ? 'danger' : undefined}>
      {props.label}
    </button>
  </form>
);

/** A checkbox per scope: a client's scopes, an operator's privileges. */
export const ScopeCheckboxes = (props: { name: string; legend: string; checked?: string[] }) => (
  <fieldset>
    <legend>{props.legend}</legend>
    {SCOPES.map((scope) => (
      <label class="inline">
        <input
          type="checkbox"
          name={props.name}
          value={scope}
          checked={props.checked?.includes(scope)}
        />
        {scope}
      </label>
    ))}
  </fieldset>
);

/**
 * A labelled input, and its hint where the format is not obvious: every text and number field
 * of the console's forms, written once. The label names the input by its `name`.
 */
export const Field = (props: {
  name: string;
  label: string;
  value?: string | undefined;
  type?: 'text' | 'number';
  required?: boolean;
  min?: number;
  max?: number;
  maxlength?: number;
  placeholder?: string;
  hint?: Child;
}) => {
  const { name, label, value, type = 'text', hint, ...attributes } = props;
  return (
    <>
      <label for={name}>{label}</label>
      <input type={type} id={name} name={name} value={value ?? ''} {...attributes} />
      {hint && <p class="hint">{hint}</p>}
    </>
  );
};
