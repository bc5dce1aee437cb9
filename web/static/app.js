// safeledger's only script, loaded as a module (no inline script: the
// Content-Security-Policy forbids it).  It enhances pages that work fully
// without it: the classes govuk-frontend's template sets inline, then
// govuk-frontend's components (menu toggle, error summary focus, ...).
import { initAll } from '/assets/govuk-frontend.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
  initAll()
}
