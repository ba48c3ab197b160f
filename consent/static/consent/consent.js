// Consent layer. evaluate() must match consent/cookie.py (tests/consent/cookie_vectors.json).
(() => {
  "use strict";
  const d = document, w = window;
  let cfg, state, banner, sent;
  // A sensitive health page says so, with the neutral id analytics gets instead of its address
  let page = {};
  const gpc = () => w.navigator.globalPrivacyControl === true;

  const undecided = (config) => {
    const groups = {};
    for (const g of config.groups) groups[g.varname] = "undecided";
    return { decided: false, groups };
  };

  // Global Privacy Control refuses advertising, unless the decision was made under it (_gpc=1)
  function evaluate(raw, config, now, gpcOn) {
    const s = parse(raw, config, now);
    if (gpcOn && !s.gpc) {
      for (const g of config.groups) if (g.purpose == "advertising") s.groups[g.varname] = "declined";
      if (s.valid) s.decided = !Object.values(s.groups).includes("undecided");
    }
    return { decided: s.decided, groups: s.groups };
  }

  function parse(raw, config, now) {
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
    s.valid = true;
    s.gpc = kv.get("_gpc") === "1";
    return s;
  }

  const cookies = () => d.cookie.split(/;\s*/).map((c) => c.split(/=(.*)/)).filter((c) => c[0] && c.length > 1);

  const read = () => {
    const mine = cookies().filter((c) => c[0] == cfg.cookie);
    // Two of them (path, domain): no telling which is current
    return evaluate(mine.length == 1 && mine[0][1], cfg, Date.now() / 1000, gpc());
  };

  const gtag = function () { (w.dataLayer = w.dataLayer || []).push(arguments); }; // Arguments, not an array

  // Google Consent Mode v2, basic mode: tags load only after consent, and before the first
  // one (of any kind: custom HTML may hold a Google tag) dataLayer gets the defaults (all
  // denied) and the reader's choice; later changes in the page send an update.
  const signals = () => {
    const all = (purpose) => {
      const gs = cfg.groups.filter((g) => g.purpose == purpose);
      return gs.length > 0 && gs.every((g) => state.groups[g.varname] == "accepted") ? "granted" : "denied";
    };
    const ads = page.sensitive ? "denied" : all("advertising");
    return { ad_storage: ads, ad_user_data: ads, ad_personalization: ads, analytics_storage: all("analytics") };
  };
  const consentMode = (first) => {
    if (!cfg.consentMode || (!first && sent === undefined)) return;
    const now = signals();
    if (sent === undefined) {
      gtag("consent", "default", { ad_storage: "denied", ad_user_data: "denied", ad_personalization: "denied", analytics_storage: "denied" });
    }
    if (JSON.stringify(now) !== sent) {
      gtag("consent", "update", now);
      sent = JSON.stringify(now);
    }
  };

  // On a sensitive page analytics gets the neutral id, never the title, address or referrer
  const origin = (url) => { try { return new URL(url).origin + "/"; } catch (err) { return ""; } };
  const neutral = () => page.sensitive ? {
    title: page.contentId, url: location.origin + "/" + page.contentId, referrer: d.referrer && origin(d.referrer),
  } : null;
  const runsHere = (o) => !page.sensitive || (["ga4", "matomo"].includes(o.consentKind) &&
    (cfg.groups.find((g) => g.varname == o.consentGroup) || {}).purpose != "advertising");

  const activate = () => {
    for (const t of d.querySelectorAll("template[data-consent-group]:not([data-consent-activated])")) {
      const o = t.dataset;
      if (state.groups[o.consentGroup] != "accepted" || !runsHere(o)) continue;
      t.setAttribute("data-consent-activated", "");
      const n = neutral();
      consentMode(true); // before any tag: custom HTML may hold a Google Ads tag
      if (o.consentKind == "ga4") {
        w.gtag = w.gtag || gtag;
        w.gtag("js", new Date());
        if (!n) w.gtag("config", o.consentId);
        else w.gtag("config", o.consentId, Object.assign({
          page_title: n.title, page_location: n.url, allow_google_signals: false, allow_ad_personalization_signals: false,
        }, n.referrer ? { page_referrer: n.referrer } : {}));
      } else if (o.consentKind == "gtm") {
        (w.dataLayer = w.dataLayer || []).push({ "gtm.start": Date.now(), event: "gtm.js" });
      } else if (o.consentKind == "matomo") {
        const q = (w._paq = w._paq || []);
        q.push(["setTrackerUrl", o.consentUrl + "matomo.php"], ["setSiteId", o.consentSite]);
        if (n) {
          q.push(["setCustomUrl", n.url], ["setDocumentTitle", n.title]);
          if (n.referrer) q.push(["setReferrerUrl", n.referrer]);
        }
        q.push(["trackPageView"]);
        if (!n) q.push(["enableLinkTracking"]); // a clicked link's address says what was read
      }
      // Cloned scripts never run: re-create them
      const f = t.content.cloneNode(true);
      for (const old of f.querySelectorAll("script")) {
        const s = d.createElement("script");
        for (const a of old.attributes) s.setAttribute(a.name, a.value);
        if (!old.hasAttribute("async")) s.async = false; // keep document order
        s.addEventListener("load", purge); // still loading when the reader refused: its cookies go as it runs (a tag's own onload stays)
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
    consentMode(false); // a Google tag already running hears the change (withdrawal: denied)
    activate();
    purge();
    d.dispatchEvent(new CustomEvent("consent:change", { detail: state }));
  };

  // The boxes show the choice as it counts (under GPC, advertising is off until ticked here)
  const tick = () => {
    for (const box of d.querySelectorAll("form[data-consent-form] input[type=checkbox][name=groups]")) {
      box.checked = state.groups[box.value] == "accepted";
    }
  };

  const submit = async (e) => {
    const form = e.target, sub = e.submitter;
    if (!form.matches("form[data-consent-form]")) return;
    e.preventDefault();
    const st = d.querySelector("[data-consent-status]");
    if (st) st.textContent = ""; // said again after this save, not left over from the last
    const fd = new FormData(form, sub);
    let answer;
    if (sub && sub.name && !fd.has(sub.name)) fd.append(sub.name, sub.value); // older FormData
    try {
      const r = await fetch(form.action, { method: "POST", body: fd, credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!r.ok) throw r;
      answer = await r.json();
    } catch (err) {
      // Fall back to the no-JS path (303), carrying the clicked button
      if (sub && sub.name) form.append(Object.assign(d.createElement("input"), { type: "hidden", name: sub.name, value: sub.value }));
      return form.submit();
    }
    state = read(); // the cookie is the record, not the answer
    apply();
    tick();
    if (banner) {
      const inside = banner.contains(d.activeElement), main = d.getElementById("main");
      banner.hidden = true;
      pad();
      if (inside && main) main.focus({ preventScroll: true });
    }
    // The preference centre's account of the standing choice, rendered by the server
    const cur = d.querySelector("[data-consent-current]");
    if (cur && answer.current) cur.innerHTML = answer.current;
    if (st) {
      st.textContent = "Your cookie choices have been saved.";
      // The preference centre (no banner): the button may be far below, so go to the news
      if (!banner) { st.tabIndex = -1; st.focus(); }
    }
  };

  // Loaded with defer: the document is parsed
  try {
    cfg = JSON.parse(d.getElementById("consent-config").textContent);
  } catch (err) {
    return; // no config, no consent layer
  }
  try {
    page = JSON.parse((d.getElementById("consent-page") || {}).textContent || "{}");
  } catch (err) {
    page = { sensitive: true }; // unreadable: assume the stricter case
  }
  w.consentLayer = { evaluate, state: () => state };
  if (gpc()) {
    // Say why advertising is off, offer what is left, and tell the server on every choice
    for (const el of d.querySelectorAll("[data-consent-gpc-show]")) el.hidden = false;
    for (const el of d.querySelectorAll("[data-consent-gpc-hide]")) el.hidden = true;
    for (const box of d.querySelectorAll("#consent-banner [data-consent-gpc-refused]")) {
      box.disabled = true;
      box.setAttribute("aria-describedby", box.dataset.consentGpcRefused);
    }
    for (const f of d.querySelectorAll("form[data-consent-form]")) {
      f.append(Object.assign(d.createElement("input"), { type: "hidden", name: "gpc", value: "1" }));
    }
  }
  banner = d.getElementById("consent-banner");
  state = read();
  if (gpc()) tick(); // the server may not have had the signal
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
