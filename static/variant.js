// Remember the reader's script variant, and on the root page go to it.
// Pages work without this file: it only saves a click.
(function () {
  var KEY = "handbook-variant";
  var VARIANTS = { "zh-hans": 1, "zh-hk": 1, "zh-tw": 1, "en": 1 };

  function remember(code) {
    try { localStorage.setItem(KEY, code); } catch (e) { /* storage may be disabled */ }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-variant]");
    if (link) remember(link.getAttribute("data-variant"));
  });

  var saved = null;
  try { saved = localStorage.getItem(KEY); } catch (e) { /* ignore */ }
  if (!VARIANTS[saved]) saved = pick(navigator.languages || [navigator.language || ""]);

  // The 404 page: the message of the edition the address names, else the reader's.
  var missing = document.querySelector(".not-found");
  if (missing) {
    var named = /\/(zh-hans|zh-hk|zh-tw|en)\//.exec(location.pathname);
    var code = named ? named[1] : saved;
    var shown = missing.querySelector('section[data-edition="' + code + '"]');
    if (!shown) return;
    missing.querySelectorAll("section[data-edition]").forEach(function (section) { section.hidden = section !== shown; });
    document.documentElement.lang = shown.lang;
    return;
  }

  var chooser = document.querySelector(".choices");
  if (!chooser) return;
  var target = chooser.querySelector('a[data-variant="' + saved + '"]');
  if (target) location.replace(target.href);

  function pick(languages) {
    for (var i = 0; i < languages.length; i++) {
      var tag = String(languages[i]).toLowerCase();
      if (/^zh-(hant-)?(hk|mo)\b/.test(tag)) return "zh-hk";
      if (/^zh-(hant(-tw)?|tw)\b/.test(tag)) return "zh-tw";
      if (/^zh\b/.test(tag)) return "zh-hans";
      if (/^en\b/.test(tag)) return "en";
    }
    // No Chinese and no English among them: English is what a reader abroad reads.
    return languages.length && languages[0] ? "en" : null;
  }
})();
