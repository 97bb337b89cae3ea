interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: Array<{ reason: string; message: string; field: string }>;
}

/** One failed check of a field, as the API server's validation reports it. */
export interface FieldError {
  /** e.g. `metadata.ownerReferences.uid`, `subsets[0].addresses[1].ip`. */
  field: string;
  type: 'Invalid' | 'Required';
  value?: string;
  detail: string;
}

/** A failure answered as a Kubernetes `Status` object, the way the API server does. */
export class KubeError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: StatusDetails;

  constructor(
    code: number,
    reason: string,
    message: string,
    details?: StatusDetails,
  ) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `services`, or `gateways.networking.istio.io` for named groups, as the API server names them. */
export function qualifiedResource(type: {
  group: string;
  plural: string;
}): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

type Type = { group: string; plural: string };

/** The details of a failure about one object, naming it by its resource. */
const objectDetails = (type: Type, name: string): StatusDetails => ({
  name,
  group: type.group || undefined,
  kind: type.plural,
});

/** A failure about one object: `<resource> "<name>" <what>`, with the object's details. */
const objectError = (
  code: number,
  reason: string,
  type: Type,
  name: string,
  what: string,
) =>
  new KubeError(
    code,
    reason,
    `${qualifiedResource(type)} "${name}" ${what}`,
    objectDetails(type, name),
  );

export const kubeErrors = {
  notFound: (type: Type, name: string) =>
    objectError(404, 'NotFound', type, name, 'not found'),
  unknownResource: () =>
    new KubeError(
      404,
      'NotFound',
      'the server could not find the requested resource',
    ),
  alreadyExists: (type: Type, name: string) =>
    objectError(409, 'AlreadyExists', type, name, 'already exists'),
  conflict: (type: Type, name: string) =>
    new KubeError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(
        type,
      )} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      objectDetails(type, name),
    ),
  badRequest: (message: string) => new KubeError(400, 'BadRequest', message),
  /** 422 with one cause per field error, worded as the API server's field.ErrorList. */
  invalid: (
    type: Type & { kind: string },
    name: string,
    errors: FieldError[],
  ) => {
    const causes = errors.map(error => ({
      reason: `FieldValue${error.type}`,
      message:
        error.type === 'Invalid'
          ? `Invalid value: ${JSON.stringify(error.value ?? '')}: ${
              error.detail
            }`
          : `Required value: ${error.detail}`,
      field: error.field,
    }));
    const all = causes.map(cause => `${cause.field}: ${cause.message}`);
    return new KubeError(
      422,
      'Invalid',
      `${
        type.group ? `${type.kind}.${type.group}` : type.kind
      } "${name}" is invalid: ${
        all.length === 1 ? all[0] : `[${all.join(', ')}]`
      }`,
      {
        name,
        group: type.group || undefined,
        kind: type.kind,
        causes,
      },
    );
  },
  unprocessable: (message: string) =>
    new KubeError(
      422,
      'Invalid',
      `the server rejected our request due to an error in our request: ${message}`,
    ),
  expired: (message: string) => new KubeError(410, 'Expired', message),
  unauthorized: () => new KubeError(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (type: Type, verb: string, user: string, namespace?: string) =>
    new KubeError(
      403,
      'Forbidden',
      `${qualifiedResource(
        type,
      )} is forbidden: User "${user}" cannot ${verb} resource "${
        type.plural
      }" in API group "${type.group}" ${
        namespace ? `in the namespace "${namespace}"` : 'at the cluster scope'
      }`,
      { group: type.group || undefined, kind: type.plural },
    ),
  methodNotAllowed: (method: string) =>
    new KubeError(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource (${method})`,
    ),
  /** Worded as the API server does, plus the media type that was sent. */
  unsupportedMediaType: (
    contentType: string,
    accepted = [
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/apply-patch+yaml',
      'application/strategic-merge-patch+json',
    ],
  ) =>
    new KubeError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(
        ', ',
      )} (got ${contentType})`,
    ),
};
