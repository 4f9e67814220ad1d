/**
 * A refusal in GeoReport v2 form: the HTTP status and the list of `{code, description}` the
 * spec puts in the body (`code` may be more specific than the status; several are allowed).
 */
export interface Open311ErrorItem {
  code: number;
  description: string;
}

export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 413 | 415,
    readonly errors: Open311ErrorItem[],
  ) {
    super(errors.map((e) => e.description).join('; '));
    this.name = 'Open311Error';
  }
}

export const badRequest = (...descriptions: string[]) => new Open311Error(400, descriptions.map((description) => ({ code: 400, description })));
export const notFound = (description: string) => new Open311Error(404, [{ code: 404, description }]);
export const forbidden = (description: string) => new Open311Error(403, [{ code: 403, description }]);
