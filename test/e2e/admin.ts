import { expect } from 'vitest';

export interface Registered {
  clientID: string;
  clientSecret: string;
  operatorID: string;
}

/** Registers a client for the demo operator through the real admin API. */
export async function registerDemoClient(url: string, adminToken: string): Promise<Registered> {
  const response = await fetch(`${url}/admin/v1/clients`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'e2e client', operatorID: 'CityServicesAPI' }),
  });
  expect(response.status).toBe(201);
  return response.json() as Promise<Registered>;
}

export const seedCaseBody = {
  caseTypeID: 'Cnow-connectnow-Work-CityServicesRequest',
  processID: 'pyStartCase',
  content: { RequestID: 'FT123', RequestDetail: 'faster trains, please!' },
};
