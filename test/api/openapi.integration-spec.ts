// The OpenAPI document the gateway serves is a valid OpenAPI 3 document, and names the routes
// and auth scheme of the public API v1.
import SwaggerParser from '@apidevtools/swagger-parser';
import { testStack } from '../setup/stack';

describe('OpenAPI document', () => {
  it('validates against the OpenAPI 3 schema', async () => {
    const doc = await fetch(`${testStack().gatewayUrl}/api/docs-json`).then((r) => r.json());
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
    for (const path of ['/api/v1/auth/sign-in', '/api/v1/auth/mfa', '/api/v1/me', '/api/v1/role-requests', '/api/v1/role-requests/{id}/approve', '/api/v1/notifications', '/api/v1/notifications/stream', '/api/v1/notifications/{id}/read', '/health']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });

  it('serves the OpenAPI UI', async () => {
    const res = await fetch(`${testStack().gatewayUrl}/api/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui');
  });
});
