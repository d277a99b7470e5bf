/* Autosave for the annual report editor.
 *
 * Every section form saves itself ~1.5 s after the last keystroke (and on every
 * change of a checkbox or radio), by POSTing the form with fetch and asking for
 * JSON. A draft is never lost:
 *  - unsaved text is kept in localStorage under report:section:version until the
 *    portal confirms the save, so a reload, a crash or an ended session loses nothing;
 *  - a network failure or a server error is retried with a growing delay, and said;
 *  - 401/403 (session ended, or CSRF token rotated by a new sign-in) keeps the text
 *    locally, offers a sign-in link in a new tab, and saves once the person is back;
 *  - 409 conflict (another coordinator saved first) shows both texts and lets the
 *    person choose: nothing is overwritten silently.
 * Each save's answer carries the overview's fragments (the states in the list of
 * commitments, the check before submitting), which replace the elements of the same id,
 * so that neither goes stale until a reload. A save started as the person leaves the
 * page (a link to the next commitment) is sent with keepalive, so it still arrives.
 * Without JavaScript the same forms save with a normal POST.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 1500;
  var BACKOFF_MS = [2000, 4000, 8000, 15000, 30000];
  var SIGNED_OUT_POLL_MS = 5000;

  var messagesEl = document.getElementById("autosave-messages");
  var banner = document.getElementById("autosave-banner");
  if (!messagesEl) return;

  function msg(name, params) {
    var text = messagesEl.dataset[name] || "";
    Object.keys(params || {}).forEach(function (key) {
      text = text.replace("%(" + key + ")s", params[key]);
    });
    return text;
  }

  function storageAvailable() {
    try {
      var probe = "__report_probe__";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return true;
    } catch (e) {
      return false;
    }
  }
  var hasStorage = storageAvailable();

  function csrfToken(form) {
    // A new sign-in rotates the token: prefer the cookie, which the new tab updated.
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  var signedOut = false;
  var signedOutTimer = null;
  var editors = [];

  function showBanner(html) {
    if (!banner) return;
    banner.innerHTML = "";
    banner.appendChild(html);
    banner.hidden = false;
  }

  function hideBanner() {
    if (!banner) return;
    banner.hidden = true;
    banner.innerHTML = "";
  }

  function enterSignedOut() {
    if (!signedOut) {
      signedOut = true;
      var p = document.createElement("p");
      p.textContent = msg("signedOut") + " ";
      var link = document.createElement("a");
      link.href = messagesEl.dataset.loginUrl;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = msg("signIn");
      link.className = "autosave-login";
      p.appendChild(link);
      showBanner(p);
    }
    if (!signedOutTimer) {
      signedOutTimer = window.setInterval(retryAfterSignIn, SIGNED_OUT_POLL_MS);
    }
  }

  function leaveSignedOut() {
    if (!signedOut) return;
    signedOut = false;
    if (signedOutTimer) {
      window.clearInterval(signedOutTimer);
      signedOutTimer = null;
    }
    hideBanner();
  }

  function retryAfterSignIn() {
    // Try the first waiting editor; when it succeeds, the others follow.
    for (var i = 0; i < editors.length; i++) {
      if (editors[i].dirty && !editors[i].inFlight && !editors[i].conflicted) {
        editors[i].save(true);
        return;
      }
    }
  }

  window.addEventListener("focus", function () { if (signedOut) retryAfterSignIn(); });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && signedOut) retryAfterSignIn();
  });
  window.addEventListener("online", function () {
    editors.forEach(function (editor) { if (editor.dirty) editor.save(true); });
  });

  function applyFragments(fragments) {
    Object.keys(fragments || {}).forEach(function (id) {
      var old = document.getElementById(id);
      if (!old) return;
      var template = document.createElement("template");
      template.innerHTML = fragments[id].trim();
      var fresh = template.content.firstElementChild;
      if (fresh && fresh.id === id) old.replaceWith(fresh);
    });
  }

  // fetch's keepalive lets a save outlive the page, for bodies under 64 KiB.
  var KEEPALIVE_LIMIT = 60000;

  function bodySize(values) {
    return Object.keys(values).reduce(function (total, name) {
      return total + String(values[name]).length * 3 + name.length + 40;
    }, 0);
  }

  function Editor(form) {
    this.form = form;
    this.report = form.dataset.report;
    this.section = form.dataset.section;
    this.prefix = form.dataset.prefix;
    this.versionInput = form.querySelector("input[name='" + this.prefix + "-version']");
    this.status = form.querySelector("[data-autosave-status]");
    this.conflictBox = form.parentNode.querySelector("[data-conflict]");
    this.fields = Array.prototype.slice.call(form.querySelectorAll("[data-autosave-field]"));
    this.timer = null;
    this.retryTimer = null;
    this.attempt = 0;
    this.dirty = false;
    this.inFlight = false;
    this.again = false;
    this.conflicted = false;
    this.locked = false;
    this.bind();
    this.restore();
  }

  Editor.prototype.version = function () { return parseInt(this.versionInput.value, 10); };

  Editor.prototype.key = function (version) {
    return "report-draft:" + this.report + ":" + this.section + ":" + (version || this.version());
  };

  Editor.prototype.values = function () {
    var values = {};
    this.fields.forEach(function (field) {
      var name = field.dataset.autosaveField;
      if (field.type === "checkbox") values[name] = field.checked;
      else if (field.type === "radio") { if (field.checked) values[name] = field.value; }
      else values[name] = field.value;
    });
    return values;
  };

  Editor.prototype.apply = function (values) {
    this.fields.forEach(function (field) {
      var name = field.dataset.autosaveField;
      if (!(name in values)) return;
      if (field.type === "checkbox") field.checked = !!values[name];
      else if (field.type === "radio") field.checked = field.value === values[name];
      else field.value = values[name] == null ? "" : values[name];
    });
  };

  Editor.prototype.setStatus = function (text, kind) {
    if (!this.status) return;
    this.status.textContent = text;
    this.status.className = "autosave-status" + (kind ? " autosave-status--" + kind : "");
  };

  Editor.prototype.bind = function () {
    var self = this;
    this.form.addEventListener("input", function () { self.changed(DEBOUNCE_MS); });
    this.form.addEventListener("change", function () { self.changed(300); });
    this.form.addEventListener("focusout", function (event) {
      if (self.dirty && !self.form.contains(event.relatedTarget)) self.changed(0);
    });
    this.form.addEventListener("submit", function (event) {
      // With the script, the button saves through fetch too; without it, a plain POST.
      event.preventDefault();
      self.changed(0);
    });
  };

  Editor.prototype.keepLocally = function () {
    if (!hasStorage) return;
    try {
      window.localStorage.setItem(
        this.key(),
        JSON.stringify({ version: this.version(), values: this.values(), at: Date.now() })
      );
    } catch (e) { /* storage full: the server copy is all we have */ }
  };

  Editor.prototype.forgetLocal = function (version) {
    if (hasStorage) window.localStorage.removeItem(this.key(version));
  };

  Editor.prototype.changed = function (delay) {
    if (this.locked) return;
    this.dirty = true;
    this.keepLocally();
    if (this.conflicted) return;
    this.setStatus(msg("unsaved"), "pending");
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.save(false); }, delay);
  };

  Editor.prototype.restore = function () {
    if (!hasStorage) return;
    var prefix = "report-draft:" + this.report + ":" + this.section + ":";
    var current = this.version();
    var serverValues = this.values();
    for (var i = window.localStorage.length - 1; i >= 0; i--) {
      var key = window.localStorage.key(i);
      if (!key || key.indexOf(prefix) !== 0) continue;
      var stored;
      try { stored = JSON.parse(window.localStorage.getItem(key)); } catch (e) { stored = null; }
      if (!stored || !stored.values) { window.localStorage.removeItem(key); continue; }
      if (sameValues(stored.values, serverValues)) { window.localStorage.removeItem(key); continue; }
      if (stored.version === current) {
        this.apply(stored.values);
        this.changed(200);
        this.setStatus(msg("restored"), "pending");
      } else if (stored.version < current) {
        // Typed here on an older version; the section has changed since: let them choose.
        window.localStorage.removeItem(key);
        this.apply(stored.values);
        this.dirty = true;
        this.keepLocally();
        this.showConflict({ version: current, server: serverValues, message: msg("localConflict") });
      } else {
        window.localStorage.removeItem(key);
      }
    }
  };

  function sameValues(a, b) {
    return Object.keys(b).every(function (name) {
      if (!(name in a)) return true;
      return String(a[name]) === String(b[name]);
    });
  }

  Editor.prototype.save = function (force) {
    if (this.locked || this.conflicted) return;
    if (this.inFlight) { this.again = true; return; }
    if (!this.dirty && !force) return;
    var self = this;
    var sentVersion = this.version();
    var sentValues = this.values();
    var body = new FormData(this.form);
    var token = csrfToken(this.form);
    body.set("csrfmiddlewaretoken", token);
    this.inFlight = true;
    this.dirty = false;
    window.clearTimeout(this.retryTimer);
    this.setStatus(msg("saving"), "pending");
    fetch(this.form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token },
      keepalive: bodySize(sentValues) < KEEPALIVE_LIMIT,
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      var parse = type.indexOf("application/json") !== -1 ? response.json() : Promise.resolve({});
      return parse.then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      self.inFlight = false;
      self.handle(result.status, result.data, sentVersion, sentValues);
    }).catch(function () {
      self.inFlight = false;
      self.dirty = true;
      self.retryLater("offline", {});
    });
  };

  Editor.prototype.handle = function (status, data, sentVersion, sentValues) {
    if (status === 200 && data.ok) {
      this.attempt = 0;
      this.versionInput.value = data.version;
      this.forgetLocal(sentVersion);
      applyFragments(data.fragments);
      if (signedOut) { leaveSignedOut(); retryAfterSignIn(); }
      if (!sameValues(this.values(), sentValues)) this.dirty = true;
      if (this.dirty || this.again) {
        this.again = false;
        this.keepLocally();
        this.save(true);
      } else {
        this.setStatus(msg("saved", { time: data.saved_at }), "ok");
      }
      return;
    }
    this.dirty = true;
    this.keepLocally();
    if (status === 401 || status === 403) {
      this.setStatus(msg("unsaved"), "error");
      enterSignedOut();
    } else if (status === 409 && data.error === "conflict") {
      this.showConflict(data);
    } else if (status === 409 && data.error === "locked") {
      this.locked = true;
      this.setStatus(msg("locked"), "error");
    } else if (status === 400 && data.errors) {
      var errors = Object.keys(data.errors).map(function (name) {
        return data.errors[name].join(" ");
      }).join(" ");
      this.setStatus(msg("invalid", { errors: errors }), "error");
    } else {
      this.retryLater("serverError", { status: status });
    }
  };

  Editor.prototype.retryLater = function (kind, params) {
    var delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    params.seconds = Math.round(delay / 1000);
    this.setStatus(msg(kind, params), "error");
    var self = this;
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(function () { self.save(true); }, delay);
  };

  Editor.prototype.showConflict = function (data) {
    var self = this;
    this.conflicted = true;
    window.clearTimeout(this.timer);
    window.clearTimeout(this.retryTimer);
    var mine = this.values();
    var box = this.conflictBox;
    box.innerHTML = "";
    box.setAttribute("role", "alert");
    var title = document.createElement("h3");
    title.textContent = data.title || msg("conflictTitle");
    box.appendChild(title);
    var intro = document.createElement("p");
    intro.textContent = data.message || "";
    box.appendChild(intro);
    var list = document.createElement("dl");
    list.className = "conflict__compare";
    this.fields.forEach(function (field) {
      var name = field.dataset.autosaveField;
      if (field.type === "radio" && !field.checked) return;
      var theirs = data.server[name];
      var yours = mine[name];
      if (String(theirs) === String(yours)) return;
      var labelEl = document.querySelector("label[for='" + field.id + "']");
      var dt = document.createElement("dt");
      dt.textContent = labelEl ? labelEl.textContent.replace(/:$/, "") : name;
      list.appendChild(dt);
      var dd1 = document.createElement("dd");
      dd1.innerHTML = "<strong></strong> <span class='conflict__text'></span>";
      dd1.querySelector("strong").textContent = msg("theirs") + ":";
      dd1.querySelector("span").textContent = String(theirs);
      var dd2 = document.createElement("dd");
      dd2.innerHTML = "<strong></strong> <span class='conflict__text'></span>";
      dd2.querySelector("strong").textContent = msg("yours") + ":";
      dd2.querySelector("span").textContent = String(yours);
      list.appendChild(dd1);
      list.appendChild(dd2);
    });
    box.appendChild(list);
    var actions = document.createElement("div");
    actions.className = "form-actions";
    var keep = document.createElement("button");
    keep.type = "button";
    keep.textContent = msg("keepMine");
    keep.addEventListener("click", function () {
      self.resolve(data.version, null);
    });
    var take = document.createElement("button");
    take.type = "button";
    take.className = "button button--secondary";
    take.textContent = msg("takeTheirs");
    take.addEventListener("click", function () {
      self.resolve(data.version, data.server);
    });
    actions.appendChild(keep);
    actions.appendChild(take);
    box.appendChild(actions);
    box.hidden = false;
    this.setStatus(data.title || msg("conflictTitle"), "error");
  };

  Editor.prototype.resolve = function (version, serverValues) {
    var oldVersion = this.version();
    this.versionInput.value = version;
    this.forgetLocal(oldVersion);
    this.conflicted = false;
    this.conflictBox.hidden = true;
    this.conflictBox.innerHTML = "";
    if (serverValues) {
      this.apply(serverValues);
      this.dirty = false;
      this.setStatus("", "");
    } else {
      this.changed(0);
    }
  };

  Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), function (form) {
    editors.push(new Editor(form));
  });
  window.reportAutosave = { editors: editors };
})();
