/**
 * The Content-Security-Policy every renderer page gets, in Electron (response header of the
 * `app://` protocol and `session.webRequest`) and in browser mode (HTTP header of the loopback
 * server). The renderer's index.html may carry the same policy in a meta tag.
 * `style-src 'unsafe-inline'`: cytoscape sets inline styles on its canvas container.
 * `worker-src blob:`: graph layout runs in a Web Worker.
 * [CSP] https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Header-only form: `frame-ancestors` is ignored in a meta tag, so it is added here. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

/** The browser-mode bridge's request header carrying the per-launch token. */
export const TOKEN_HEADER = 'X-Egress-Atlas-Token';

/** Path prefix of the browser-mode bridge: `POST /api/<operation>`. */
export const API_PATH_PREFIX = '/api/';

/**
 * Browser mode: the URL the user opens carries a one-time launch code in its fragment (never sent
 * to a server, never in a Referer). The page trades it once, `POST /session` with this header, for
 * the session token; a code from browser history is already spent.
 */
export const SESSION_PATH = '/session';
export const LAUNCH_CODE_HEADER = 'X-Egress-Atlas-Launch-Code';
