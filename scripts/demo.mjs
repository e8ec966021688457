// `npm run demo [-- --url http://localhost:8787] [--v2]`: the seed walk-through against a
// running server. Registers a client for the demo operator, gets a token, creates the
// city-services case, works its two assignments (enter the request, review it) to
// Resolved-Completed, reads it back, and prints each step: through Pega API v1, or with --v2
// through DX API v2 (the form of each step from uiResources, each PATCH with If-Match). The admin token comes from EDGECASE_ADMIN_TOKEN
// or from ADMIN_TOKEN in .dev.vars (as `npm start` writes it; another file with --env-file).
import { optionValue } from './args.mjs';
import { readAdminToken } from './dev-vars.mjs';

const args = process.argv.slice(2);
const base = (optionValue(args, '--url') ?? 'http://localhost:8787').replace(/\/$/, '');
const envFile = optionValue(args, '--env-file') ?? '.dev.vars';
const v2 = args.includes('--v2');

function fail(message) {
  console.error(`\n✗ ${message}`);
  process.exit(1);
}

let adminToken = process.env.EDGECASE_ADMIN_TOKEN;
if (!adminToken) {
  try {
    adminToken = readAdminToken(envFile);
  } catch {
    fail(
      'No admin token: run `npm start` first (it writes .dev.vars), or set EDGECASE_ADMIN_TOKEN.',
    );
  }
}

async function step(title, request, expectedStatus) {
  console.log(`\n→ ${title}`);
  console.log(`  ${request.method ?? 'GET'} ${request.url}`);
  let response;
  try {
    response = await fetch(request.url, request);
  } catch (error) {
    fail(
      `Cannot reach ${base}: is the server running (npm start)? ${error.cause?.code ?? error.message}`,
    );
  }
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  if (response.status !== expectedStatus) {
    fail(`Expected ${expectedStatus}, got ${response.status}: ${text}`);
  }
  console.log(`  ${response.status} ${response.statusText}`);
  return { response, body };
}

const caseTypeID = 'Cnow-connectnow-Work-CityServicesRequest';

const { body: client } = await step(
  'Register an API client for the demo operator CityServicesAPI',
  {
    url: `${base}/admin/v1/clients`,
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Demo client', operatorID: 'CityServicesAPI' }),
  },
  201,
);
console.log(`  client ID: ${client.clientID} (its secret is shown once, to this script)`);

const { body: token } = await step(
  'Get an access token (client credentials grant, credentials in the form body)',
  {
    url: `${base}/oauth2/v1/token`,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientID,
      client_secret: client.clientSecret,
    }),
  },
  200,
);
console.log(`  ${token.token_type} token, expires in ${token.expires_in} s, scope: ${token.scope}`);
const bearer = { Authorization: `Bearer ${token.access_token}` };

const content = { RequestID: 'FT123', RequestDetail: 'faster trains, please!' };

if (v2) await demoV2();

const { body: created, response: createdResponse } = await step(
  'Create the city-services case',
  {
    url: `${base}/api/v1/cases`,
    method: 'POST',
    headers: { ...bearer, 'Content-Type': 'application/json' },
    body: JSON.stringify({ caseTypeID, processID: 'pyStartCase', content }),
  },
  201,
);
console.log(`  Location: ${createdResponse.headers.get('Location')}`);
console.log(`  next assignment: ${created.nextAssignmentID}`);

const caseUrl = `${base}/api/v1/cases/${encodeURIComponent(created.ID)}`;
const json = { ...bearer, 'Content-Type': 'application/json' };

// Work the case as Pega's clients do: open the assignment, take its action, submit.
let assignmentID = created.nextAssignmentID;
while (assignmentID) {
  const assignmentUrl = `${base}/api/v1/assignments/${encodeURIComponent(assignmentID)}`;
  const { body: assignment } = await step(
    'Open the assignment',
    { url: assignmentUrl, headers: bearer },
    200,
  );
  const [action] = assignment.actions;
  console.log(`  ${assignment.name}: ${assignment.instructions} (action ${action.name})`);
  const { body: next } = await step(
    `Submit it with the action ${action.ID}`,
    {
      url: `${assignmentUrl}?actionID=${encodeURIComponent(action.ID)}`,
      method: 'POST',
      headers: json,
      body: JSON.stringify({ content: {}, pageInstructions: [] }),
    },
    200,
  );
  console.log(`  next: ${next.nextAssignmentID || '(none)'}, page: ${next.nextPageID}`);
  assignmentID = next.nextAssignmentID;
}

const { body: read } = await step('Read the case back', { url: caseUrl, headers: bearer }, 200);
console.log(
  `  status: ${read.status}, RequestID: ${read.content.RequestID}, RequestDetail: ${read.content.RequestDetail}`,
);
if (read.status !== 'Resolved-Completed') fail(`Expected Resolved-Completed, got ${read.status}`);

console.log(
  `\nCase ID: ${created.ID}\nStatus:  ${read.status}\nClass:   ${read.content.pxObjClass}`,
);

/** The same walk through DX API v2, as Constellation's clients make it; exits when done. */
async function demoV2() {
  const api = `${base}/prweb/api/application/v2`;
  const headers = { ...bearer, 'Content-Type': 'application/json', 'x-origin-channel': 'Web' };
  const { body: created, response } = await step(
    'Create the city-services case (DX API v2)',
    {
      url: `${api}/cases?viewType=form`,
      method: 'POST',
      headers,
      body: JSON.stringify({ caseTypeID, processID: 'pyStartCase', content }),
    },
    201,
  );
  console.log(
    `  Location: ${response.headers.get('Location')}, ETag: ${response.headers.get('ETag')}`,
  );
  let answer = created;
  let etag = response.headers.get('ETag');
  while (answer.nextAssignmentInfo) {
    const assignmentUrl = `${api}/assignments/${encodeURIComponent(answer.nextAssignmentInfo.ID)}`;
    const { body: assignment, response: opened } = await step(
      'Open the assignment and its form',
      { url: assignmentUrl, headers },
      200,
    );
    etag = opened.headers.get('ETag');
    const [info] = assignment.data.caseInfo.assignments;
    const view = assignment.uiResources.root.config.name;
    const fields = Object.keys(assignment.uiResources.resources.fields).join(', ');
    console.log(`  ${info.name}: ${info.instructions} (form ${view}: ${fields})`);
    const performed = await step(
      `Perform ${view} with If-Match: ${etag}`,
      {
        url: `${assignmentUrl}/actions/${encodeURIComponent(view)}?viewType=form`,
        method: 'PATCH',
        headers: { ...headers, 'If-Match': etag },
        body: JSON.stringify({ content: {}, pageInstructions: [] }),
      },
      200,
    );
    answer = performed.body;
    etag = performed.response.headers.get('ETag');
    console.log(`  next: ${answer.nextAssignmentInfo?.ID ?? answer.confirmationNote}`);
  }
  const { body: read } = await step(
    'Read the case back',
    { url: `${api}/cases/${encodeURIComponent(created.ID)}`, headers },
    200,
  );
  const { caseInfo } = read.data;
  console.log(
    `  status: ${caseInfo.status}, RequestID: ${caseInfo.content.RequestID}, RequestDetail: ${caseInfo.content.RequestDetail}`,
  );
  if (caseInfo.status !== 'Resolved-Completed') {
    fail(`Expected Resolved-Completed, got ${caseInfo.status}`);
  }
  console.log(
    `\nCase ID: ${created.ID}\nStatus:  ${caseInfo.status}\nClass:   ${caseInfo.caseTypeID}`,
  );
  process.exit(0);
}
