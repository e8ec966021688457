// `npm run demo [-- --url http://localhost:8787] [--v2]`: the seed walk-through against a
// running server. Registers a client for the demo operator, gets a token, creates the
// city-services case, works its two assignments (enter the request, review it) to
// Resolved-Completed, reads it back, and prints each step: through Pega API v1, or with --v2
// through DX API v2 (the form of each step from uiResources, each PATCH with If-Match), and then
// a street repair through its stages (two screens with Previous, a stage move, an alternate
// stage). The admin token comes from EDGECASE_ADMIN_TOKEN
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
  await streetRepair(api, headers);
  process.exit(0);
}

/**
 * The street repair through its stages (DX API v2): the two screens of its Report form (with
 * Previous), a stage move to Close, and its last step; then a second one rejected (an
 * alternate stage).
 */
async function streetRepair(api, headers) {
  const stagesOf = (info) =>
    info.stages.map((stage) => `${stage.name}:${stage.visited_status}`).join(' → ');
  let etag;
  const call = async (title, method, path, body) => {
    const { body: answer, response } = await step(
      title,
      {
        url: `${api}${path}`,
        method,
        headers: { ...headers, ...(etag && !path.startsWith('/cases?') && { 'If-Match': etag }) },
        ...(body && { body: JSON.stringify(body) }),
      },
      method === 'POST' && path.startsWith('/cases?') ? 201 : 200,
    );
    etag = response.headers.get('ETag');
    const info = answer.data.caseInfo;
    console.log(`  stage ${info.stageLabel} (${info.status}); ${stagesOf(info)}`);
    const screens = answer.uiResources?.navigation?.steps;
    if (screens) {
      console.log(`  screens: ${screens.map((s) => `${s.name}:${s.visited_status}`).join(', ')}`);
    }
    return answer;
  };
  const created = await call(
    'Report a street repair (a life cycle of stages)',
    'POST',
    '/cases?viewType=form',
    {
      caseTypeID: 'Cnow-connectnow-Work-StreetRepair',
      content: { Location: 'Main Street 12' },
    },
  );
  const id = encodeURIComponent(created.ID);
  const assignment = `/assignments/${encodeURIComponent(created.nextAssignmentInfo.ID)}`;
  await call(
    'Next: the first screen of the report',
    'PATCH',
    `${assignment}/actions/SubmitReport?viewType=form`,
    {
      content: { Detail: 'A pothole' },
    },
  );
  await call(
    'Previous: back to the first screen, the same assignment',
    'PATCH',
    `${assignment}/navigation_steps/previous?viewType=form`,
    {
      content: { Severity: 'High' },
    },
  );
  await call('Next again', 'PATCH', `${assignment}/actions/SubmitReport?viewType=form`, {
    content: {},
  });
  await call(
    'Submit the report: on to the Repair stage',
    'PATCH',
    `${assignment}/actions/ConfirmReport?viewType=form`,
    {
      content: {},
    },
  );
  await call(
    'Move to the next stage (Close), withdrawing the repair step',
    'POST',
    `/cases/${id}/stages/next`,
  );
  const closed = await call(
    'Close the repair: the case resolves',
    'PATCH',
    `${assignment}/actions/CloseRepair`,
    {
      content: { Notes: 'Filled' },
    },
  );
  if (closed.data.caseInfo.status !== 'Resolved-Completed') fail('Expected Resolved-Completed');
  etag = undefined;
  const second = await call('Report another', 'POST', '/cases?viewType=none', {
    caseTypeID: 'Cnow-connectnow-Work-StreetRepair',
    content: { Location: 'Elm Street 3' },
  });
  const rejected = await call(
    'Reject it: the alternate stage resolves it',
    'PUT',
    `/cases/${encodeURIComponent(second.ID)}/stages/ALT1`,
  );
  if (rejected.data.caseInfo.status !== 'Resolved-Rejected') fail('Expected Resolved-Rejected');
  console.log(`\nStreet repairs: ${created.ID} Resolved-Completed, ${second.ID} Resolved-Rejected`);
}
