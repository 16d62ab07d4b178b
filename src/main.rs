//! Entry point of the browser app: mount [`helpdesk::App`] on the page.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(helpdesk::App);
}
