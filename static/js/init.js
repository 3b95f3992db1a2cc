// Start the NHS.UK frontend's components (header menu, error summary focus, checkboxes...).
import { initAll } from "/assets/nhsuk-frontend.min.js";

initAll();
