// Buttons marked data-sc-print open the browser's print dialog (print or save as PDF).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-sc-print]")) window.print();
});
