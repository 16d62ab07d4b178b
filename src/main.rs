//! Entry point of the browser app: mount [`helpdesk::App`] on the page.

fn main() {
    helpdesk::platform::mark(helpdesk::platform::marks::STARTED);
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(helpdesk::App);
}
