// Progressive enhancement only: every page works without this file.
import { initAll } from "../../vendor/nhsuk-frontend-10.6.1/nhsuk-frontend.min.js";

document.body.classList.add("nhsuk-frontend-supported");
initAll();
