// Each cell of a table's body carries its column's heading (data-label), which the
// stylesheet shows before the cell when a narrow screen turns rows into blocks.
document.querySelectorAll("main table").forEach((table) => {
  const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  table.querySelectorAll("tbody tr").forEach((row) => {
    [...row.children].forEach((cell, index) => {
      if (headings[index] && cell.tagName === "TD" && !cell.hasAttribute("data-label")) {
        cell.setAttribute("data-label", headings[index]);
      }
    });
  });
});

// The main menu: "Menu" (on a phone) and each group's button open and close the list they
// control (aria-controls), saying so with aria-expanded, which the stylesheet follows.
// One group is open at a time; Escape closes it and gives the focus back to its button;
// a click elsewhere, or the focus leaving a group, closes it.
const siteNav = document.querySelector(".site-nav");
if (siteNav) {
  const groupButtons = [...siteNav.querySelectorAll(".nav-group-button")];
  const setOpen = (button, open) => button.setAttribute("aria-expanded", String(open));
  const isOpen = (button) => button.getAttribute("aria-expanded") === "true";
  const closeGroups = (except) => groupButtons.forEach((b) => b !== except && setOpen(b, false));
  siteNav.querySelectorAll(".nav-toggle, .nav-group-button").forEach((button) => {
    button.addEventListener("click", () => {
      if (button.classList.contains("nav-group-button")) closeGroups(button);
      setOpen(button, !isOpen(button));
    });
  });
  siteNav.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = groupButtons.find(isOpen);
    const toggle = siteNav.querySelector(".nav-toggle");
    const target = open || (isOpen(toggle) && toggle.offsetParent !== null ? toggle : null);
    if (target) {
      setOpen(target, false);
      target.focus();
      event.preventDefault();
    }
  });
  siteNav.querySelectorAll(".nav-group").forEach((group) => {
    group.addEventListener("focusout", (event) => {
      if (!group.contains(event.relatedTarget)) setOpen(group.querySelector("button"), false);
    });
  });
  document.addEventListener("click", (event) => {
    if (!siteNav.contains(event.target)) closeGroups(null);
  });
}
