// Starts Swagger UI on the API reference page (/docs), on the document the page
// names in data-spec. A classic script, after the vendored bundle: no inline
// script, no eval. The validator badge is off (it would ask another site).
(function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  if (!el || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  document.getElementById("docs-no-js").hidden = true;
  window.SwaggerUIBundle({
    url: el.getAttribute("data-spec"),
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    tryItOutEnabled: false
  });
})();
