// Copies the pinned GOV.UK and MoJ front-end builds into the places Django serves them from.
// static/vendor/ is collected as /static/vendor/; build/public/ is served at the site root, because
// both design systems' compiled CSS refer to their fonts and images at /assets/.
import { cpSync, mkdirSync, rmSync } from "node:fs";

const govuk = "node_modules/govuk-frontend/dist/govuk";
const moj = "node_modules/@ministryofjustice/frontend/moj";

rmSync("static/vendor", { recursive: true, force: true });
rmSync("build/public", { recursive: true, force: true });
mkdirSync("static/vendor/govuk", { recursive: true });
mkdirSync("static/vendor/moj", { recursive: true });
mkdirSync("build/public/assets", { recursive: true });

for (const file of ["govuk-frontend.min.css", "govuk-frontend.min.js"]) {
  cpSync(`${govuk}/${file}`, `static/vendor/govuk/${file}`);
}
for (const file of ["moj-frontend.min.css", "moj-frontend.min.js"]) {
  cpSync(`${moj}/${file}`, `static/vendor/moj/${file}`);
}
cpSync(`${govuk}/assets`, "build/public/assets", { recursive: true });
cpSync(`${moj}/assets`, "build/public/assets", { recursive: true });
// Browsers ask for /favicon.ico on pages that name none (the admin's, for one).
cpSync(`${govuk}/assets/images/favicon.ico`, "build/public/favicon.ico");
console.log("front-end assets copied to static/vendor and build/public/assets");
