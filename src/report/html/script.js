// Filters by severity, rule and service: hides the findings (and service
// cards) that do not match. Reads only the page; requests nothing.
(function () {
  var get = function (id) { return document.getElementById(id); };
  function apply() {
    var sev = get('f-severity').value, rule = get('f-rule').value, svc = get('f-service').value;
    var shown = 0;
    document.querySelectorAll('.finding').forEach(function (e) {
      var hide = (sev && e.dataset.severity !== sev) || (rule && e.dataset.rule !== rule) ||
        (svc && e.dataset.service !== svc);
      e.hidden = !!hide;
      if (!hide) { shown++; }
    });
    document.querySelectorAll('.service').forEach(function (e) {
      e.hidden = !!(svc && e.dataset.service !== svc);
    });
    get('f-count').textContent = shown + ' shown';
  }
  ['f-severity', 'f-rule', 'f-service'].forEach(function (id) {
    get(id).addEventListener('change', apply);
  });
  apply();
})();
