import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type ResponseObject } from '@nestjs/swagger';
import { FieldErrorResponse, ProblemResponse } from '../errors/problem.response.js';

/** The OpenAPI 3 document, generated from the same DTOs that validate requests. */
export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('nest-ddd-microservices API')
    .setDescription(
      'Users and orders behind one gateway. Errors are application/problem+json (RFC 9457) with a stable `code`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return withCorrelationIdHeader(
    SwaggerModule.createDocument(app, config, { extraModels: [ProblemResponse, FieldErrorResponse] }),
  );
}

/** Every answer carries it (createHttpApp sets it before any route runs): said once, referenced everywhere. */
function withCorrelationIdHeader(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    headers: {
      ...document.components?.headers,
      'X-Correlation-Id': {
        description:
          "The request's correlation id: the X-Correlation-Id request header if valid, else a new UUID; in every log line and trace of the request",
        schema: { type: 'string', example: '9b719fd2-6883-4e33-9dfd-60ac5fa9dda8' },
      },
    },
  };
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations) as { responses?: Record<string, ResponseObject> }[]) {
      for (const response of Object.values(operation.responses ?? {})) {
        response.headers = {
          ...response.headers,
          'X-Correlation-Id': { $ref: '#/components/headers/X-Correlation-Id' },
        };
      }
    }
  }
  return document;
}

/** Serves the document at /docs-json and the Swagger UI at /docs. */
export function setUpOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
