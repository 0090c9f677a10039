// Riverside Family Clinic's own buttons open Haven at a given section.
// Works before embed.js has loaded too: haven-snippet.js queues the calls.
document.querySelectorAll('[data-haven-section]').forEach((button) => {
  button.addEventListener('click', () => Haven('open', button.dataset.havenSection));
});
