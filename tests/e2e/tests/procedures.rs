//! A resident looks up birth registration in the real app, offline, by keyboard.
#![allow(clippy::expect_used, clippy::print_stdout)]

mod harness;

use fantoccini::key::Key;
use harness::Session;

#[tokio::test]
async fn search_open_and_read_a_procedure() {
    let session = Session::start().await;

    // First start: the bundled catalog is there without any network.
    session.find("#tile-procedures").await;
    session.find(".status").await;
    session.screenshot("home.png").await;

    // Typed as most people type on a phone: no diacritics.
    let input = session.find("#search-input").await;
    input.send_keys("dang ky khai sinh").await.expect("type");
    input
        .send_keys(&char::from(Key::Enter).to_string())
        .await
        .expect("submit");

    // Type-ahead results; open the right one with the keyboard.
    let result = session.find("button.result[data-code='1.001193']").await;
    let name = result.text().await.expect("result text");
    assert!(name.contains("Thủ tục đăng ký khai sinh"), "{name}");
    // Each result shows why it matched: the query's words marked in its name as written.
    let marked = session
        .script("return [...document.querySelectorAll(\"button.result[data-code='1.001193'] mark\")].map(m => m.textContent)")
        .await;
    assert_eq!(marked, serde_json::json!(["đăng", "ký", "khai", "sinh"]));
    session.screenshot("search-results.png").await;
    session
        .script("document.querySelector(\"button.result[data-code='1.001193']\").focus()")
        .await;
    result
        .send_keys(&char::from(Key::Enter).to_string())
        .await
        .expect("open with Enter");

    session.wait_for_text("#procedure-code", "1.001193").await;
    session
        .wait_for_text("#procedure-name", "Thủ tục đăng ký khai sinh")
        .await;
    // Channels as a table with headers, documents as a checklist with labels.
    session.find("table.channels th[scope='col']").await;
    let checkbox_labels = session
        .script("return [...document.querySelectorAll('.checklist input[type=checkbox]')].every(c => document.querySelector(`label[for='${c.id}']`) !== null)")
        .await;
    assert_eq!(
        checkbox_labels,
        serde_json::Value::Bool(true),
        "every document checkbox has a label"
    );
    session.screenshot("procedure-1.001193.png").await;

    // English switches every label.
    session.click("button[lang='en']").await;
    session
        .wait_for_text("#channels-heading", "How to apply, time and fees")
        .await;

    // 200% text: the page still fits the window (no sideways scrolling).
    let largest = session.script("const b = [...document.querySelectorAll('.settings button')].find(b => b.textContent === 'Largest'); if (!b) return false; b.click(); return true;").await;
    assert_eq!(
        largest,
        serde_json::Value::Bool(true),
        "the text-size setting offers 'Largest'"
    );
    let size = session
        .script("return document.documentElement.style.fontSize")
        .await;
    assert_eq!(size, serde_json::json!("200%"));
    let fits = session
        .script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        .await;
    assert_eq!(
        fits,
        serde_json::Value::Bool(true),
        "no horizontal overflow at 200% text"
    );
    session.screenshot("procedure-200-percent.png").await;

    // Nothing in the catalog answers this (no welfare procedures): the page says so rather
    // than presenting a confident first result, and offers the closest fields to browse.
    session
        .script("window.location.hash = '#/search?query=xac%20nhan%20khuyet%20tat';")
        .await;
    session.find("#search-weak").await;
    let chip = session.find("#search-weak button.chip").await;
    let field = chip
        .attr("data-field")
        .await
        .expect("attr")
        .expect("a field");
    session.screenshot("search-weak.png").await;
    chip.click().await.expect("browse the field");
    let chosen = session
        .script("return document.querySelector('#filter-field').value")
        .await;
    assert_eq!(chosen, serde_json::json!(field));
    session.script("history.back();").await;

    // Back returns to the results of the same query.
    session.click("nav button.back").await;
    let query = session
        .script("return document.querySelector('#search-input').value")
        .await;
    assert_eq!(query, serde_json::json!("dang ky khai sinh"));
    session.find("button.result[data-code='1.001193']").await;

    // Every page has a route: a link to a procedure (a deep link) opens its page directly,
    // and a link to a page this version lacks says so instead of showing nothing.
    session
        .script("window.location.hash = '#/procedure/1.000894';")
        .await;
    session.wait_for_text("#procedure-code", "1.000894").await;
    session
        .script("window.location.hash = '#/no-such-page';")
        .await;
    session
        .wait_for_text("main h1", "This page is not in the app.")
        .await;
    session.assert_accessible("page not found").await;

    // The accessibility check sees what it must: a button with no name is a violation.
    session
        .script("const b = document.createElement('button'); b.id = 'unnamed'; document.body.appendChild(b);")
        .await;
    let violations = session.accessibility_violations("planted").await;
    assert!(
        violations
            .iter()
            .any(|v| v["rule"] == "button-name"
                && v["nodes"][0]["target"].as_str() == Some("#unnamed")),
        "axe-core must report the unnamed button: {violations:?}"
    );
    session
        .script("document.getElementById('unnamed').remove();")
        .await;
    session.assert_accessible("after removing it").await;

    session.stop().await;
}
