/**
 * The request schemas the CLI validates its input with — the same ones the HTTP routes use, so a
 * command line and an API call are refused for the same reasons.
 */
export { AddUserBody, ListUsersQuery, passwordProblems } from '../domain/access';
