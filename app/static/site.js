// hairkb site: search autocomplete (ARIA combobox), the navigator's live filtering, and "what the source
// says" next to a citation on hover or focus. Plain JavaScript, no framework; everything works without it.
"use strict";

(function () {
  var TYPE_LABELS = { condition: "Condition", mechanism: "Mechanism", intervention: "Treatment" };

  function sitePath(apiUrl) {
    return apiUrl.replace(/^\/v1\//, "/");
  }

  // -- Autocomplete -------------------------------------------------------------------------------------
  function setupCombobox(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var items = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      items.forEach(function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(suggestions) {
      list.textContent = "";
      items = suggestions.map(function (s, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.href = sitePath(s.url);
        var name = document.createElement("span");
        name.textContent = s.matched === s.label ? s.label : s.matched + " → " + s.label;
        var type = document.createElement("span");
        type.className = "type";
        type.textContent = TYPE_LABELS[s.type] || s.type;
        li.appendChild(name);
        li.appendChild(type);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the input until we navigate
          window.location.assign(li.dataset.href);
        });
        list.appendChild(li);
        return li;
      });
      active = -1;
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (!q) {
        close();
        return;
      }
      var ticket = ++latest;
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q.slice(0, 100)), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (body) { if (ticket === latest) show(body.items || []); })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        if (list.hidden) { fetchSuggestions(); return; }
        event.preventDefault();
        highlight(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (list.hidden) return;
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          window.location.assign(items[active].dataset.href);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  // -- Navigator ----------------------------------------------------------------------------------------
  function setupNavigator(form) {
    var items = Array.prototype.slice.call(document.querySelectorAll(".condition-list li"));
    var status = document.getElementById("navigator-status");
    var facets = ["pattern", "onset", "scarring", "who"];

    function chosen() {
      var wanted = {};
      facets.forEach(function (facet) {
        var values = Array.prototype.slice
          .call(form.querySelectorAll('input[name="' + facet + '"]:checked'))
          .map(function (box) { return box.value; });
        if (values.length) wanted[facet] = values;
      });
      return wanted;
    }

    function matches(li, wanted) {
      return Object.keys(wanted).every(function (facet) {
        var has = (li.dataset[facet] || "").split(" ");
        // A condition that affects everyone answers any "who".
        if (facet === "who" && has.indexOf("all") >= 0) return true;
        return wanted[facet].some(function (value) { return has.indexOf(value) >= 0; });
      });
    }

    function apply() {
      var wanted = chosen();
      var shown = 0;
      items.forEach(function (li) {
        var ok = matches(li, wanted);
        li.hidden = !ok;
        if (ok) shown += 1;
      });
      var asked = Object.keys(wanted).length > 0;
      status.textContent = asked
        ? shown + " of " + items.length + " conditions match."
        : "All " + items.length + " conditions.";
      var params = new URLSearchParams();
      Object.keys(wanted).forEach(function (facet) {
        wanted[facet].forEach(function (value) { params.append(facet, value); });
      });
      var query = params.toString();
      window.history.replaceState(null, "", query ? "/?" + query + "#conditions" : "/");
    }

    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply();
      document.getElementById("conditions").scrollIntoView();
    });
    var reset = document.getElementById("navigator-reset");
    if (reset) {
      reset.addEventListener("click", function (event) {
        event.preventDefault();
        form.reset();
        Array.prototype.forEach.call(form.querySelectorAll("input:checked"), function (box) { box.checked = false; });
        apply();
      });
    }
  }

  // -- What the source says, on hover or focus ------------------------------------------------------------
  function setupCitationTips() {
    var tip = document.getElementById("cite-tip");
    if (!tip) return;
    var current = null;

    function hide() {
      tip.hidden = true;
      if (current) current.removeAttribute("aria-describedby");
      current = null;
    }

    function show(link) {
      var ref = document.getElementById(link.getAttribute("href").slice(1));
      if (!ref) return;
      tip.textContent = "";
      var title = document.createElement("p");
      var strong = document.createElement("strong");
      strong.textContent = "Reference " + link.textContent.trim() + " — what the source says:";
      title.appendChild(strong);
      tip.appendChild(title);
      Array.prototype.forEach.call(ref.querySelectorAll(".findings li"), function (finding) {
        var p = document.createElement("p");
        p.textContent = finding.textContent.trim();
        tip.appendChild(p);
      });
      tip.hidden = false;
      var box = link.getBoundingClientRect();
      var width = tip.offsetWidth;
      var left = Math.max(8, Math.min(window.scrollX + box.left - width / 2, window.scrollX + document.documentElement.clientWidth - width - 8));
      tip.style.left = left + "px";
      tip.style.top = window.scrollY + box.bottom + 6 + "px";
      link.setAttribute("aria-describedby", "cite-tip");
      current = link;
    }

    document.addEventListener("mouseover", function (event) {
      var link = event.target.closest && event.target.closest("a.citation");
      if (link) show(link);
    });
    document.addEventListener("mouseout", function (event) {
      var link = event.target.closest && event.target.closest("a.citation");
      if (link && link === current) hide();
    });
    document.addEventListener("focusin", function (event) {
      if (event.target.matches && event.target.matches("a.citation")) show(event.target);
    });
    document.addEventListener("focusout", function (event) {
      if (event.target === current) hide();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[role=combobox]"), setupCombobox);
    var form = document.getElementById("navigator");
    if (form) setupNavigator(form);
    setupCitationTips();
  });
})();
