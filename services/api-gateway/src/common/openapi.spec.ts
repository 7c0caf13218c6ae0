import type { OpenAPIObject } from '@nestjs/swagger';
import { completeOpenApiDocument } from './openapi';

/** A property made nullable the way @nestjs/swagger writes it: `nullable` beside an allOf of a $ref. */
function documentWith(properties: Record<string, unknown>): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {},
    components: {
      schemas: {
        PlatformRole: { type: 'string', enum: ['HELP_DESK'] },
        PersonRef: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, displayName: { type: 'string' } }, required: ['id', 'displayName'] },
        View: { type: 'object', properties: properties as never, required: Object.keys(properties) },
      },
    },
  };
}

describe('completeOpenApiDocument: null where the API sends it (issue 16)', () => {
  it('turns a nullable enum reference into the enum with null, and a nullable object reference into the object inline, as OpenAPI 3.0.3 reads nullable', () => {
    const doc = completeOpenApiDocument(
      documentWith({
        platformRole: { nullable: true, description: 'null for everyone else', allOf: [{ $ref: '#/components/schemas/PlatformRole' }] },
        decidedBy: { nullable: true, type: 'object', description: 'null until decided', allOf: [{ $ref: '#/components/schemas/PersonRef' }] },
        reasonCode: { type: 'string', nullable: true, enum: ['OTHER'] },
        requester: { allOf: [{ $ref: '#/components/schemas/PersonRef' }] },
      }),
    );
    const view = doc.components!.schemas!.View as { properties: Record<string, unknown> };
    expect(view.properties.platformRole).toEqual({ nullable: true, description: 'null for everyone else', type: 'string', enum: ['HELP_DESK', null] });
    expect(view.properties.decidedBy).toEqual({
      nullable: true,
      type: 'object',
      description: 'null until decided',
      properties: { id: { type: 'string', format: 'uuid' }, displayName: { type: 'string' } },
      required: ['id', 'displayName'],
    });
    expect(view.properties.reasonCode).toEqual({ type: 'string', nullable: true, enum: ['OTHER', null] });
    // Not nullable: left as a reference; and the referenced schemas themselves are unchanged.
    expect(view.properties.requester).toEqual({ allOf: [{ $ref: '#/components/schemas/PersonRef' }] });
    expect(doc.components!.schemas!.PlatformRole).toEqual({ type: 'string', enum: ['HELP_DESK'] });
  });
});
