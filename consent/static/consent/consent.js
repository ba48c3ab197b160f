// Consent layer. evaluate() must match consent/cookie.py (tests/consent/cookie_vectors.json).
(() => {
  "use strict";
  const d = document, w = window;
  let cfg, state, banner;

  const undecided = (config) => {
    const groups = {};
    for (const g of config.groups) groups[g.varname] = "undecided";
    return { decided: false, groups };
  };

  function evaluate(raw, config, now) {
    raw = raw || "";
    // Django quotes values containing "="
    if (raw.length > 1 && raw[0] == '"' && raw.endsWith('"')) raw = raw.slice(1, -1);
    if (!raw || raw.length > 4096 || !/^[A-Za-z0-9._:+|=-]+$/.test(raw)) return undecided(config);
    const kv = new Map();
    for (const part of raw.split("|")) {
      const [k, v, extra] = part.split("=");
      if (!k || !v || extra !== undefined || kv.has(k)) return undecided(config);
      kv.set(k, v);
    }
    const at = kv.get("_at") || "";
    if (kv.get("_policy") !== String(config.policy) || !/^[0-9]{1,12}$/.test(at) ||
        now - at > config.lifetime || at - now > 86400) return undecided(config);
    const s = undecided(config);
    for (const g of config.groups) {
      const v = kv.get(g.varname); // exact match: versions are never compared
      if (v === g.version) s.groups[g.varname] = "accepted";
      else if (v === "-1") s.groups[g.varname] = "declined";
    }
    s.decided = !Object.values(s.groups).includes("undecided");
    return s;
  }

  const cookies = () => d.cookie.split(/;\s*/).map((c) => c.split(/=(.*)/)).filter((c) => c[0] && c.length > 1);

  const read = () => {
    const mine = cookies().filter((c) => c[0] == cfg.cookie);
    // Two of them (path, domain): no telling which is current
    return evaluate(mine.length == 1 && mine[0][1], cfg, Date.now() / 1000);
  };

  const activate = () => {
    for (const t of d.querySelectorAll("template[data-consent-group]:not([data-consent-activated])")) {
      const o = t.dataset;
      if (state.groups[o.consentGroup] != "accepted") continue;
      t.setAttribute("data-consent-activated", "");
      const dl = w.dataLayer = w.dataLayer || [];
      if (o.consentKind == "ga4") {
        w.gtag = w.gtag || function () { dl.push(arguments); }; // Arguments, not an array
        w.gtag("js", new Date());
        w.gtag("config", o.consentId);
      } else if (o.consentKind == "gtm") {
        dl.push({ "gtm.start": Date.now(), event: "gtm.js" });
      } else if (o.consentKind == "matomo") {
        (w._paq = w._paq || []).push(["setTrackerUrl", o.consentUrl + "matomo.php"],
          ["setSiteId", o.consentSite], ["trackPageView"], ["enableLinkTracking"]);
      }
      // Cloned scripts never run: re-create them
      const f = t.content.cloneNode(true);
      for (const old of f.querySelectorAll("script")) {
        const s = d.createElement("script");
        for (const a of old.attributes) s.setAttribute(a.name, a.value);
        if (!old.hasAttribute("async")) s.async = false; // keep document order
        s.text = old.text;
        old.replaceWith(s);
      }
      d.body.append(f);
    }
  };

  // Expire cookies of groups not accepted, on any domain they may sit on
  const purge = () => {
    const h = location.hostname, doms = ["", h];
    for (let l = h.split("."); l.length > 1; l.shift()) doms.push("." + l.join("."));
    for (const g of cfg.groups) {
      if (state.groups[g.varname] == "accepted") continue;
      for (const c of g.cookies) {
        for (const [n] of cookies()) {
          if (n == cfg.cookie) continue; // never the record of the choice itself
          if (c.name.endsWith("*") ? !n.startsWith(c.name.slice(0, -1)) : n != c.name) continue;
          for (const dom of doms.concat(c.domain || [])) {
            d.cookie = `${n}=; Max-Age=0; path=${c.path || "/"}${dom ? "; domain=" + dom : ""}`;
          }
        }
      }
    }
  };

  // WCAG 2.4.11: the fixed banner must not hide the focused element. The body gets the same
  // room at its end, or the page's last links could never scroll out from under the banner.
  const pad = () => {
    const h = banner.hidden ? "" : Math.ceil(banner.getBoundingClientRect().height) + "px";
    d.documentElement.style.scrollPaddingBottom = d.body.style.paddingBottom = h;
  };

  const apply = () => {
    activate();
    purge();
    d.dispatchEvent(new CustomEvent("consent:change", { detail: state }));
  };

  const submit = async (e) => {
    const form = e.target, sub = e.submitter;
    if (!form.matches("form[data-consent-form]")) return;
    e.preventDefault();
    const fd = new FormData(form, sub);
    if (sub && sub.name && !fd.has(sub.name)) fd.append(sub.name, sub.value); // older FormData
    try {
      const r = await fetch(form.action, { method: "POST", body: fd, credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!r.ok) throw r;
      await r.json();
    } catch (err) {
      // Fall back to the no-JS path (303), carrying the clicked button
      if (sub && sub.name) form.append(Object.assign(d.createElement("input"), { type: "hidden", name: sub.name, value: sub.value }));
      return form.submit();
    }
    state = read(); // the cookie is the record, not the answer
    apply();
    if (banner) {
      const inside = banner.contains(d.activeElement), main = d.getElementById("main");
      banner.hidden = true;
      pad();
      if (inside && main) main.focus({ preventScroll: true });
    }
    const st = d.querySelector("[data-consent-status]");
    if (st) st.textContent = "Your cookie choices have been saved.";
  };

  // Loaded with defer: the document is parsed
  try {
    cfg = JSON.parse(d.getElementById("consent-config").textContent);
  } catch (err) {
    return; // no config, no consent layer
  }
  w.consentLayer = { evaluate, state: () => state };
  banner = d.getElementById("consent-banner");
  state = read();
  apply();
  if (banner && !state.decided) {
    banner.hidden = false;
    pad();
    // Opening "Customise" or resizing the window changes its height
    if (w.ResizeObserver) new ResizeObserver(pad).observe(banner);
  }
  const btn = d.querySelector("[data-consent-customise]"), fs = d.getElementById("consent-customise");
  if (btn && fs) {
    btn.addEventListener("click", () => {
      fs.hidden = !fs.hidden;
      btn.setAttribute("aria-expanded", !fs.hidden);
      const box = fs.querySelector("input[type=checkbox]");
      if (!fs.hidden && box) box.focus();
    });
  }
  d.addEventListener("submit", submit);
})();
