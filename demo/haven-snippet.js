// Haven's queued API: lets this page call Haven(...) before embed.js has loaded.
// The loader replays the queued calls, then replaces this stub. Kept in its own file
// (not inline) so a Content-Security-Policy without 'unsafe-inline' still allows it.
window.Haven=window.Haven||function(){(Haven.q=Haven.q||[]).push(arguments)};
