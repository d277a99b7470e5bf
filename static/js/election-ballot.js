/* The sealed ballot (governance/elections, ADR 0013).
 *
 * The choices are read from inputs that have no `name`, so the form never sends them. On
 * submit the script builds the ballot JSON {election, tracker, choices}, with a tracker of
 * 16 random bytes made here, seals it to the election's public key with libsodium's
 * crypto_box_seal, and sends only the ciphertext. The tracker is shown to the voter and
 * kept in this browser's localStorage under the receipt (SHA-256 of the ciphertext), so the
 * receipt page can show it again; the server never sees it beside the city.
 *
 * Without JavaScript (or without WebAssembly) the form stays hidden and the page says why.
 */
(function () {
  "use strict";
  var form = document.getElementById("ballot-form");
  var receiptBox = document.getElementById("ballot-receipt");
  var STORE = "coalition-ballot-tracker:";

  function showTracker() {
    if (!receiptBox) return;
    var tracker = null;
    try {
      tracker = window.localStorage.getItem(STORE + receiptBox.dataset.receipt);
    } catch (e) {
      tracker = null;
    }
    if (tracker) {
      document.getElementById("ballot-tracker-value").textContent = tracker;
      document.getElementById("ballot-tracker").hidden = false;
    }
  }
  showTracker();
  if (!form || !window.sodium) return;

  var error = document.getElementById("ballot-error");
  function fail(message) {
    error.textContent = message;
    error.hidden = false;
  }

  function choices() {
    if (form.dataset.method === "stv") {
      var ranked = [];
      var inputs = form.querySelectorAll(".rank-input");
      for (var i = 0; i < inputs.length; i++) {
        var value = inputs[i].value.trim();
        if (value !== "") ranked.push([parseInt(value, 10), parseInt(inputs[i].dataset.candidate, 10)]);
      }
      ranked.sort(function (a, b) { return a[0] - b[0]; });
      for (var j = 0; j < ranked.length; j++) {
        if (ranked[j][0] !== j + 1) return null; // 1, 2, 3... without gaps or repeats
      }
      return ranked.map(function (r) { return r[1]; });
    }
    var marked = [];
    var boxes = form.querySelectorAll(".choice-input");
    for (var k = 0; k < boxes.length; k++) {
      if (boxes[k].checked) marked.push(parseInt(boxes[k].dataset.candidate, 10));
    }
    return marked;
  }

  // Radio buttons without a name do not exclude each other: do it here.
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.dataset && target.dataset.group && target.checked) {
      var group = form.querySelectorAll('[data-group="' + target.dataset.group + '"]');
      for (var i = 0; i < group.length; i++) if (group[i] !== target) group[i].checked = false;
    }
  });

  window.sodium.ready.then(function () {
    var sodium = window.sodium;
    var publicKey = sodium.from_base64(form.dataset.publicKey, sodium.base64_variants.ORIGINAL);
    document.getElementById("ballot-needs-js").hidden = true;
    form.hidden = false;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      error.hidden = true;
      var chosen = choices();
      if (chosen === null) {
        fail(form.querySelector("legend").textContent);
        return;
      }
      if (form.dataset.method !== "stv" && chosen.length > parseInt(form.dataset.max, 10)) {
        fail(form.dataset.tooMany);
        return;
      }
      var tracker = sodium.to_hex(sodium.randombytes_buf(16));
      var ballot = JSON.stringify({
        election: parseInt(form.dataset.election, 10),
        tracker: tracker,
        choices: chosen
      });
      var sealed = sodium.crypto_box_seal(sodium.from_string(ballot), publicKey);
      form.elements.ciphertext.value = sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL);
      var inputs = form.querySelectorAll(".choice-input, .rank-input");
      for (var i = 0; i < inputs.length; i++) inputs[i].disabled = true;
      document.getElementById("ballot-submit").textContent = form.dataset.sealing;
      // The receipt is SHA-256 of the ciphertext, as the server computes it (libsodium's
      // standard build has no SHA-256: the browser's own digest does it).
      var digest = window.crypto && window.crypto.subtle
        ? window.crypto.subtle.digest("SHA-256", sealed)
        : Promise.reject(new Error("no digest"));
      digest.then(function (hash) {
        var receipt = sodium.to_hex(new Uint8Array(hash));
        try {
          window.localStorage.setItem(STORE + receipt, tracker);
        } catch (e) {
          /* private browsing: the tracker cannot be kept */
        }
      }).catch(function () {
        /* no secure context: the tracker cannot be shown again */
      }).then(function () {
        form.submit();
      });
    });
  });
})();
