// Start the NHS.UK frontend's components (header menu, error summary focus, checkboxes...).
import { initAll } from "/assets/nhsuk-frontend.min.js";

initAll();

// "Print this record" buttons: hidden until this script can make them work.
for (const button of document.querySelectorAll('[data-module="app-print"]')) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
