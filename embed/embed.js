/*! Haven loader; spec: README-protocol.md. Hand-written terse, and minified by the build, to
fit 2 KB brotli: O widget origin, P panel, L launcher, F iframe, g lang, W its saved copy */
(()=>{'use strict'
let D=document,q=window.Haven
if(q&&q.v)return // loaded twice
q=q&&q.q||[]
let S=D.currentScript||[...D.querySelectorAll('script[src*="embed.js"]')].pop(),
O=new URL(S.src).origin,
T={en:['Health help','Close'],vi:['Hỗ trợ sức khỏe','Đóng']},
Y={},
y=m=>{Y[m]||(Y[m]=console.warn('Haven: '+m)||1)},
G=v=>/^(en|vi)$/.test(v)&&v,
A=(n,e,v=S.dataset[n])=>v==null||e.test(v)?v:y("bad data-"+n),
c=A('clinic',/^[a-z\d_-]+$/),
l=A('label',/\S/),
u=A('open',/^(true|learn|appointments|community|records|settings)$/),
// The language the widget last showed on this site (the patient's choice wins over data-lang).
W=k=>{try{let s=localStorage;return k?s.havenLang=k:s.havenLang}catch(_){}},
g=G(W())||A('lang',/^(en|vi)$/),
p=/^vi/.test(D.documentElement.lang)?'vi':'en',
h=A('color',/^#([\da-f]{3}){1,2}$/i)||'#0b6e75',
k=0,C,o,r,F,Q=[],N=[],M='(max-width:480px),(max-height:480px)'
h=h.match(h[4]?/\w\w/g:/\w/g).map(x=>parseInt(x[1]?x:x+x,16))
// as api/src/color.rs
for(;C=h.map(v=>Math.round(v*(1-k/100))),C.reduce((t,v,i)=>(v/=255,t+[.2126,.7152,.0722][i]*(v>.04045?((v+.055)/1.055)**2.4:v/12.92)),.05)*4.5>1.05;k++);
let E=(t,a,...k)=>{
let e=D.createElement(t)
for(let n in a)e.setAttribute(n,a[n])
e.append(...k)
return e},
X=E('button',{type:'button'}),
P=E('dialog',{id:'p','aria-labelledby':'l'},E('div',{},X)),
L=E('button',{type:'button',id:'l','aria-controls':'p','aria-expanded':!1}),
H=E('haven-root'),
R=H.attachShadow({mode:'open'}),
s=`:host{all:initial!important;position:fixed!important;z-index:2147483647!important}
*{margin:0;padding:0;border:0}
button{min-height:48px;padding:0 16px;border-radius:24px;background:rgb(${C});color:#fff;font:600 16px system-ui,sans-serif;cursor:pointer}
:focus-visible{outline:2px solid #fff;outline-offset:-5px}
#l,#p{position:fixed;inset:auto;bottom:16px;${(A('position',/^bottom-(left|right)$/)||'bottom-right').slice(7)}:16px;max-width:calc(100% - 32px);box-shadow:0 4px 24px #0006}
#l:before{content:"";display:inline-block;width:16px;height:13px;margin-right:8px;vertical-align:-3px;border:2px solid;border-radius:50% 50% 50% 0}
#p{top:16px;bottom:80px;width:400px;height:auto;max-height:none;border-radius:12px;overflow:hidden}
[open]{display:flex;flex-direction:column}
div{text-align:right;background:rgb(${C})}
iframe{flex:1}
@media${M}{#p{inset:0;width:auto;max-width:none;border-radius:0}}`
try{ // CSP-safe
let t=new CSSStyleSheet
t.replaceSync(s)
R.adoptedStyleSheets=[t]
}catch(_){R.append(E('style',{},s))}
R.append(P,L)
let I=(x=g||p)=>{
L.textContent=l||T[x][0]
l||(L.lang=x)
X.textContent=T[x][1]
X.lang=x
F&&(F.title='Haven — '+L.textContent)},
J=m=>(m.haven=1,r?F.contentWindow.postMessage(m,O):Q.push(m)), // until ready
V=e=>N.map(([n,h])=>n==e&&setTimeout(h)),
show=(s,f=1)=>{
if(s&&!/^(learn|appointments|community|records|settings)$/.test(s))y("bad section"),s=0
if(!F){ // lazy, kept
P.append(F=E('iframe',{src:O+'/?'+new URLSearchParams(Object.entries({embed:1,clinic:c,lang:g,section:s,host:location.origin}).filter(e=>e[1])),referrerpolicy:'no-referrer'}))
I()
}else if(s||!o)J(s?{type:'open',section:s}:{type:'open'})
o||(L.setAttribute('aria-expanded',o=!0),matchMedia(M).matches?P.showModal():P.open=!0,V('open'))
f&&F.focus()},
hide=(f=D.activeElement==H)=>{
if(o){
L.setAttribute('aria-expanded',o=!1)
P.close()
J({type:'close'})
f&&L.focus()
V('close')}},
Haven=(c,a,h)=>c=='open'?show(a):c=='close'?hide():c=='toggle'?o?hide():show():c=='language'&&G(a)?(g=a,I(),F&&J({type:'language',lang:a})):c=='on'&&/^(open|close)$/.test(a)&&(h||0).call?N.push([a,h]):y("bad call "+c)
window.Haven=Haven
Haven.v=1
addEventListener('message',e=>{
let m=e.data,t=m&&m.haven===1&&m.type
if(!t||!F||e.origin!=O||e.source!=F.contentWindow)return
if(t=='ready')r=1,Q.splice(0).forEach(J)
if(t=='close')hide()
if(t=='language'&&G(m.lang))W(g=m.lang),I()})
L.onclick=()=>Haven('toggle')
X.onclick=()=>hide()
P.onclose=()=>P.open||hide()
P.onkeydown=e=>e.key=='Escape'&&hide()
I()
D.documentElement.append(H)
q.forEach(a=>Haven(...a))
u&&!o&&show(u!='true'&&u,0)
})()
