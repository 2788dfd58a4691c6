// The zone picker: a search box that narrows the territories to tick by their name (or
// their department's). Without this script, every box is shown and ticked the same way.
(() => {
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  document.querySelectorAll("[data-zone-picker]").forEach((picker) => {
    const filter = picker.querySelector("[data-zone-filter]");
    const input = filter.querySelector("input");
    const count = filter.querySelector("[data-zone-count]");
    const groups = [...picker.querySelectorAll(".zone-group")];
    filter.hidden = false;
    input.addEventListener("input", () => {
      const wanted = fold(input.value.trim());
      let shown = 0;
      groups.forEach((group) => {
        const title = fold(group.querySelector("legend").textContent);
        let groupShown = 0;
        group.querySelectorAll(".choice").forEach((choice) => {
          const box = choice.querySelector("input");
          // A ticked box stays in sight, so that what was chosen can be seen and unticked.
          const match = !wanted || box.checked || title.includes(wanted)
            || fold(choice.textContent).includes(wanted);
          choice.hidden = !match;
          if (match) groupShown += 1;
        });
        group.hidden = groupShown === 0;
        shown += groupShown;
      });
      if (!wanted) {
        count.textContent = "";
      } else if (shown === 0) {
        count.textContent = count.dataset.none;
      } else {
        count.textContent = shown === 1 ? count.dataset.one : count.dataset.many.replace("%(num)s", shown);
      }
    });
  });
})();
