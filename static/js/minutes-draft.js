/* The minutes' narrative keeps a draft in this browser until the portal has it.
 *
 * Each narrative form (form[data-minutes-draft], one per language) stores its texts in
 * localStorage as they are typed. When the page shows the same texts and no error (the portal
 * saved them), the stored copy is dropped; a form given back with its errors keeps it until a
 * save succeeds; when the page shows other texts
 * (the tab was closed, the session ended, the save never arrived), the stored texts are put back
 * and a note says so. Without JavaScript the form posts as usual.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-minutes-draft]");
  if (!form) return;
  var key = "minutes:narrative:" + form.dataset.minutesDraft;
  var storage;
  try {
    storage = window.localStorage;
    storage.setItem(key + ":probe", "1");
    storage.removeItem(key + ":probe");
  } catch (e) {
    return;
  }
  var fields = Array.prototype.slice.call(form.querySelectorAll("textarea[name]"));

  function current() {
    var texts = {};
    fields.forEach(function (f) { texts[f.name] = f.value; });
    return texts;
  }

  var stored = null;
  try { stored = JSON.parse(storage.getItem(key) || "null"); } catch (e) { stored = null; }
  if (stored) {
    var shown = current();
    var differs = fields.some(function (f) {
      return typeof stored[f.name] === "string" && stored[f.name] !== shown[f.name];
    });
    if (differs) {
      fields.forEach(function (f) {
        if (typeof stored[f.name] === "string") f.value = stored[f.name];
      });
      var note = document.getElementById("minutes-draft-restored");
      if (note) note.hidden = false;
    } else if (!form.querySelector(".form-error-summary, .field--error")) {
      storage.removeItem(key);
    }
  }
  form.addEventListener("input", function () {
    storage.setItem(key, JSON.stringify(current()));
  });
})();
