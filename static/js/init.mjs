// Progressive enhancement only: every page works without this.
import { initAll as initGovUk } from "../vendor/govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../vendor/moj/moj-frontend.min.js";
import { initCoach } from "./coach.js";

initGovUk();
initMoj();
initCoach();
