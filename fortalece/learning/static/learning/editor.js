// Lesson editor: django-prose-editor's ProseMirror (Tiptap) build takes over the textarea.
// Imported by relative path (no inline import map: the CSP allows no inline script), and
// with Tiptap's injected <style> turned off (the CSP allows no inline style: learning.css
// carries those rules). Whatever it produces is sanitised again on the server
// (learning/richtext.py).
import {
  Blockquote, Bold, BulletList, Document, Dropcursor, Editor, Gapcursor, HardBreak, Heading,
  History, HorizontalRule, Image, Italic, Link, ListItem, Menu, OrderedList, Paragraph, Text,
  initializeEditors,
} from "../django_prose_editor/editor.js";

const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

function create(textarea) {
  if (textarea.closest(".prose-editor")) return null;
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = document.createElement("div");
  wrapper.className = "prose-editor" + (disabled ? " disabled" : "");
  textarea.before(wrapper);
  wrapper.append(textarea);
  return new Editor({
    element: wrapper,
    editable: !disabled,
    injectCSS: false,
    content: textarea.value,
    extensions: [
      Document, Dropcursor, Gapcursor, Paragraph, HardBreak, Text, History, Menu,
      Bold, Italic, Heading.configure({ levels: [2, 3, 4] }), BulletList, OrderedList, ListItem,
      Blockquote, HorizontalRule, Link, Image,
    ],
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
}

initializeEditors(create, "[data-lesson-editor]");
