// The open API's interactive documentation (api/templates/api/docs.html): Swagger UI, from the
// vendored static files, reading the schema the page names. No inline script (CSP).
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    defaultModelsExpandDepth: 0,
  });
});
