// Runs first in <body>, before anything paints: tells the design systems' CSS that JavaScript is
// available. Kept in a file because the content security policy allows no inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
