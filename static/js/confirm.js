/* Confirmation of irreversible steps, in a native <dialog>.
 *
 * Without JavaScript every such step already has a confirmation page; this script only
 * saves the round trip. Two forms of markup (no inline script: the CSP forbids it):
 *
 *  - <form data-confirm-dialog="ID">: the form leads to the confirmation page; here it
 *    opens the server-rendered <dialog id="ID"> instead, which holds the real POST form.
 *  - <button type="submit" data-confirm="Question?" data-confirm-yes="…" data-confirm-no="…">:
 *    asks in a dialog built here, then submits the same form with confirmed=1, which the
 *    view accepts without its confirmation page.
 */
(function () {
  "use strict";
  if (typeof HTMLDialogElement === "undefined") return; // the confirmation pages remain

  var asked = null;
  // The step being asked about: {form, button}, from the ask until its dialog closes.
  var pending = null;

  function submitConfirmed(ask) {
    var flag = document.createElement("input");
    flag.type = "hidden";
    flag.name = "confirmed";
    flag.value = "1";
    ask.form.appendChild(flag);
    ask.form.dataset.confirmed = "1";
    if (ask.form.requestSubmit) ask.form.requestSubmit(ask.button);
    else ask.form.submit();
  }

  function questionDialog() {
    if (asked) return asked;
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-question");
    var question = document.createElement("p");
    question.id = "confirm-dialog-question";
    question.className = "confirm-dialog__question";
    var form = document.createElement("form");
    form.method = "dialog";
    form.className = "form-actions";
    var yes = document.createElement("button");
    yes.type = "submit";
    yes.value = "confirm";
    yes.className = "button button--danger";
    var no = document.createElement("button");
    no.type = "submit";
    no.value = "cancel";
    no.className = "button button--secondary";
    form.appendChild(yes);
    form.appendChild(no);
    dialog.appendChild(question);
    dialog.appendChild(form);
    document.body.appendChild(dialog);
    // One handler for every ask. The close event is queued: after Escape and, at once, a new
    // ask, the first close arrives while the dialog is open again, and is not this ask's.
    dialog.addEventListener("close", function () {
      if (dialog.open || !pending) return;
      var ask = pending;
      pending = null;
      if (dialog.returnValue === "confirm") submitConfirmed(ask);
      else ask.button.focus();
    });
    asked = { dialog: dialog, question: question, yes: yes, no: no };
    return asked;
  }

  function confirmThenSubmit(form, button) {
    var ui = questionDialog();
    ui.question.textContent = button.dataset.confirm;
    ui.yes.textContent = button.dataset.confirmYes || button.textContent;
    ui.no.textContent = button.dataset.confirmNo || "Cancel";
    ui.dialog.returnValue = "";
    pending = { form: form, button: button };
    ui.dialog.showModal();
    ui.no.focus(); // the safe answer is the default one
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.confirmed === "1") return;
    var dialogId = form.dataset.confirmDialog;
    if (dialogId) {
      var dialog = document.getElementById(dialogId);
      if (!dialog || typeof dialog.showModal !== "function") return;
      event.preventDefault();
      dialog.showModal();
      return;
    }
    var button = event.submitter;
    if (button && button.dataset && button.dataset.confirm) {
      event.preventDefault();
      confirmThenSubmit(form, button);
    }
  });
})();
