//! Text with the parts a search matched marked: every part is a text node, so user content is
//! never parsed as HTML.

use std::ops::Range;

use leptos::prelude::*;

/// `text` with `marks` (byte ranges, in order, not overlapping) inside `<mark>`.
#[component]
pub fn Highlighted(text: String, marks: Vec<Range<usize>>) -> impl IntoView {
    let mut parts: Vec<(bool, String)> = Vec::with_capacity(marks.len() * 2 + 1);
    let mut at = 0;
    for mark in marks {
        // Ranges come from the core's analysis of this very text; still, never slice outside it.
        let (Some(before), Some(marked)) = (text.get(at..mark.start), text.get(mark.clone())) else { continue };
        if !before.is_empty() {
            parts.push((false, before.to_owned()));
        }
        parts.push((true, marked.to_owned()));
        at = mark.end;
    }
    if let Some(rest) = text.get(at..)
        && !rest.is_empty()
    {
        parts.push((false, rest.to_owned()));
    }
    parts
        .into_iter()
        .map(|(marked, part)| if marked { view! { <mark>{part}</mark> }.into_any() } else { part.into_any() })
        .collect_view()
}
