/** The console's one stylesheet, served from the Worker (no CDN, no inline styles: CSP). */
export const CONSOLE_CSS = `
:root { --ink: #1d2430; --muted: #5b6575; --line: #d9dee6; --accent: #1656c7; --danger: #b42318;
  --ok: #0b7a4b; --bg: #f6f7f9; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--bg); line-height: 1.45; }
header { background: #101828; color: #fff; padding: 0 24px; display: flex; align-items: center; gap: 24px; }
header a { color: #d0d5dd; text-decoration: none; padding: 14px 0; display: inline-block; }
header a[aria-current="page"], header a:hover { color: #fff; border-bottom: 2px solid #fff; }
header .brand { font-weight: 700; color: #fff; margin-right: 8px; }
header form { margin-left: auto; }
header button { background: transparent; color: #d0d5dd; border: 1px solid #475467; }
main { max-width: 1100px; margin: 24px auto; padding: 0 24px; }
h1 { font-size: 1.5rem; margin: 0 0 16px; }
h2 { font-size: 1.1rem; margin: 24px 0 8px; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .85rem; color: var(--muted); font-weight: 600; background: #fafbfc; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 16px 20px; margin-bottom: 16px; }
label { display: block; font-weight: 600; margin: 12px 0 4px; }
label.inline { display: inline-flex; gap: 6px; font-weight: 400; margin: 4px 16px 4px 0; }
input[type=text], input[type=number], input[type=password], input[type=search], select, textarea {
  width: 100%; max-width: 520px; padding: 7px 9px; border: 1px solid #b6bdc8; border-radius: 4px; font: inherit; }
textarea { min-height: 70px; }
.hint { color: var(--muted); font-size: .85rem; margin: 2px 0 0; }
button, .button { font: inherit; padding: 7px 14px; border-radius: 4px; border: 1px solid var(--accent);
  background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--danger); border-color: var(--danger); }
.actions { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 16px; align-items: center; }
.errors { border: 1px solid var(--danger); background: #fef3f2; color: var(--danger); padding: 10px 14px; border-radius: 4px; }
.notice { border: 1px solid var(--ok); background: #ecfdf3; color: var(--ok); padding: 10px 14px; border-radius: 4px; }
.warning { border: 1px solid #b54708; background: #fffaeb; color: #93370d; padding: 10px 14px; border-radius: 4px; }
.secret { font-family: ui-monospace, monospace; background: #101828; color: #fff; padding: 10px 12px; border-radius: 4px; word-break: break-all; }
code, pre { font-family: ui-monospace, monospace; font-size: .85rem; }
pre { background: #fff; border: 1px solid var(--line); padding: 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; word-break: break-word; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: .8rem; background: #eef2f6; }
.badge.on { background: #dcfae6; color: var(--ok); }
.badge.off { background: #fee4e2; color: var(--danger); }
form.search { display: flex; gap: 8px; align-items: end; margin-bottom: 12px; flex-wrap: wrap; }
form.search label { margin: 0; }
`;
